import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { bundleModule } from "../reliability/bundle.js";
import { cycle, cycleSettings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

const bundleChild = () => bundleModule(fileURLToPath(new URL("./cycle-child.ts", import.meta.url)));

interface EndState {
  digest: string;
  table: string[];
  manifests: Record<string, string>;
  journal: { managing: string[]; pendingIcaDeletes: string[]; basespaceRestores: string[]; trashedByUs: string[] };
}

/** Cycles until one changes nothing, then what the simulator and the state directory hold. */
async function converge(sim: Simulator, stateDir: string): Promise<EndState> {
  const settings = cycleSettings(sim, stateDir);
  for (let i = 0; ; i += 1) {
    const before = sim.stats().mutating;
    const report = await cycle(sim, settings);
    expect(report.outcome).not.toBe("skipped-locked");
    if (sim.stats().mutating === before) break;
    if (i === 6) throw new Error("the cycles did not converge");
  }
  const paths = statePaths(stateDir);
  const journal = (await openJournal(paths.journal)).data;
  // A write killed half-way leaves write-file-atomic's temporary file (`<name>.<number>`) beside the real one.
  const names = (await readdir(paths.manifests)).filter((name) => name.endsWith(".download_manifest.csv"));
  const manifests = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(paths.manifests, n), "utf8")])));
  return {
    digest: sim.state().digest,
    table: (await readManagedTable(settings.managedTablePath)).rows.map((r) => `${r.analysisId},${r.runId}`).sort(),
    manifests,
    journal: {
      managing: Object.keys(journal.managing),
      pendingIcaDeletes: Object.keys(journal.pendingIcaDeletes),
      basespaceRestores: Object.keys(journal.basespaceRestores),
      trashedByUs: Object.keys(journal.trashedByUs).sort(),
    },
  };
}

/** Runs a cycle in a child process and SIGKILLs it once the simulator has seen `afterRequests` requests. */
async function killCycleAfter(sim: Simulator, stateDir: string, afterRequests: number): Promise<void> {
  const child = spawn(process.execPath, [await bundleChild()], {
    env: {
      ...process.env,
      CYCLE_CHILD: JSON.stringify({ icaUrl: sim.icaUrl, basespaceUrl: sim.basespaceUrl, apiKey: sim.apiKey, basespaceToken: sim.basespaceToken, stateDir }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && sim.stats().total < afterRequests) await new Promise((resolve) => setTimeout(resolve, 1));
  if (done) throw new Error(`the child cycle ended before ${afterRequests} requests: ${stderr}`);
  child.kill("SIGKILL");
  await exited;
}

/** Fresh simulator and state directory for `body`, both removed after. */
async function withWorld<T>(body: (sim: Simulator, stateDir: string) => Promise<T>): Promise<T> {
  const sim = await startCycleSimulator();
  const state = await tempStateDir();
  try {
    return await body(sim, state.dir);
  } finally {
    await sim.stop();
    await state.remove();
  }
}

describe("a cycle killed with SIGKILL", () => {
  // Runs beside other files (vitest.config.ts): on a busy machine it takes several times its 10 s.
  it("is finished by the next cycles to exactly the end state of an uninterrupted run", async () => {
    // Points spread over the first cycle (about 70 requests on demo): linking, manifests, lifecycle.
    const killPoints = [8, 22, 40, 58];
    const [reference, ...killed] = await Promise.all([
      withWorld((sim, dir) => converge(sim, dir)),
      ...killPoints.map((afterRequests) =>
        withWorld(async (sim, dir) => {
          await killCycleAfter(sim, dir, afterRequests);
          const killedAt = sim.state().digest;
          // proper-lockfile takes over a lock not refreshed for 30 s; age the dead child's lock instead of waiting.
          const { lock } = statePaths(dir);
          if (existsSync(lock)) await utimes(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
          return { afterRequests, killedAt, ...(await converge(sim, dir)) };
        }),
      ),
    ]);
    expect(reference?.table).toHaveLength(8); // a0000003 (no MGI FASTQ) is held, not recorded
    expect(Object.keys(reference?.manifests ?? {})).toHaveLength(8);
    for (const { killedAt, ...end } of killed) {
      // Killed part-way: the simulator was not yet where a whole run leaves it.
      expect(killedAt).not.toBe(reference?.digest);
      expect(end).toEqual({ afterRequests: end.afterRequests, ...reference });
    }
  }, 120_000);
});
