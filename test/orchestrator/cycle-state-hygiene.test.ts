import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { statePaths } from "../../src/state/index.js";
import { cycle, cycleSettings, LogSink, startCycleSimulator, tempStateDir } from "./cycle-harness.js";
import { staleTempAgeMs } from "../../src/state/stale-temp-files.js";

let sim: Simulator;
let state: Awaited<ReturnType<typeof tempStateDir>>;
beforeEach(async () => {
  [sim, state] = await Promise.all([startCycleSimulator(), tempStateDir()]);
});
afterEach(async () => {
  await Promise.all([sim.stop(), state.remove()]);
});

/** Writes `files` (relative to the state directory), dated `ageMs` ago on the machine's clock. */
async function place(files: readonly string[], ageMs: number): Promise<void> {
  const at = new Date(Date.now() - ageMs);
  for (const file of files) {
    const path = join(state.dir, file);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, "half-written");
    await utimes(path, at, at);
  }
}

async function listing(): Promise<string[]> {
  const entries = await readdir(state.dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(state.dir, join(e.parentPath, e.name)));
}

describe("state directory hygiene", () => {
  it("removes the temporary files a killed cycle left beside the files it writes atomically, and nothing else", async () => {
    const left = [
      "journal.json.3120437951",
      "analyses_managed_table.txt.17",
      "notifications.json.2208891",
      "reports/2025-11-20T12-00-00.000Z-ab12.json.99887766",
      "manifests/RUN_1.download_manifest.csv.42",
    ];
    const kept = [
      "journal.json.bak",
      "journal.json.12ab",
      "orchestrator.log.1",
      "audit.jsonl.5",
      "my-notes.txt.123",
      "reports/.json.77",
      "manifests/readme.txt.3",
    ];
    await place([...left, ...kept], 2 * staleTempAgeMs);
    // Young ones may belong to a writer that does not share our lock (a table shared by two state directories).
    await place(["analyses_managed_table.txt.4242"], 0);
    const settings = cycleSettings(sim, state.dir);

    await cycle(sim, { ...settings, dryRun: true });
    expect(await listing()).toEqual(expect.arrayContaining(left));

    const sink = new LogSink();
    await cycle(sim, settings, sink);
    const after = await listing();
    for (const file of left) expect(after).not.toContain(file);
    expect(after).toEqual(expect.arrayContaining([...kept, "analyses_managed_table.txt.4242", "journal.json"]));
    expect(sink.text).toContain(`removed ${left.length} temporary file(s) a killed cycle left beside the state's files`);
    expect(sink.text).toContain(join(statePaths(state.dir).root, "journal.json.3120437951"));
  });
});
