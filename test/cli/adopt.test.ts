import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Simulator } from "../../src/simulator/server.js";
import { readManagedTable, statePaths } from "../../src/state/index.js";
import { runCliIn, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator, withFlag } from "./sim-setup.js";

/** The adoption guard (issue 13, guarantee 7): an empty or missing table next to old analyses needs a decision. */
let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];

beforeEach(async () => {
  dir = await tempDir("ica-orch-adopt-");
  sim = await startCliSimulator(dir.path);
  // The shared setup adopts by delivering; these tests start without a decision.
  const shared = simulatorArgs(sim, dir.path);
  const at = shared.indexOf("--adopt");
  args = [...shared.slice(0, at), ...shared.slice(at + 2)];
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const cli = (argv: string[]) => runCliIn(dir.path, argv);
const tablePath = () => join(dir.path, "state", "analyses_managed_table.txt");
const managed = async () => (await readManagedTable(tablePath())).rows.map((r) => r.analysisId);
const destinationManifests = () => sim.requests().requests.filter((r) => r.method === "POST" && r.path.includes("/data")).length;
/** Demo analyses older than days_to_archive (60) that are SUCCEEDED BCLConvert with MGI FASTQs. */
const oldIds = ["a0000010", "a0000011", "a0000012"];

describe("the adoption guard", () => {
  it("refuses a first run with an empty table and old analyses: exit 2, how to proceed, no change", async () => {
    const before = sim.stats().mutating;
    const result = await cli(["run", ...args]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/managed table \S+ is missing or empty, but the source project holds \d+ SUCCEEDED BCLConvert analyses older than days_to_archive \(60\)/);
    expect(result.err).toContain("--analyses_managed_table");
    expect(result.err).toContain("--adopt record");
    expect(result.err).toContain("--adopt deliver");
    expect(sim.stats().mutating).toBe(before);
    expect(await managed().catch(() => [])).toEqual([]);
  });

  it("plan refuses the same way and names the analyses; with --adopt record it says which it would record", async () => {
    const refused = await cli(["plan", ...args]);
    expect(refused.code).toBe(2);
    for (const prefix of oldIds) expect(refused.err).toContain(prefix);
    const plan = await cli(["plan", ...args, "--adopt", "record"]);
    expect(plan.code).toBe(0);
    expect(`${plan.out}${plan.err}`).toMatch(/--adopt record: \d+ analyses older than days_to_archive \(60\) would be recorded as managed without delivery/);
    expect(sim.stats().mutating).toBe(0);
  });

  it("a wrong table path (a missing file) is refused the same way", async () => {
    const wrong = withFlag(args, "--analyses_managed_table", join(dir.path, "old_tool_table.txt"));
    const result = await cli(["run", ...wrong]);
    expect(result.code).toBe(2);
    expect(sim.stats().mutating).toBe(0);
    expect(result.err).toMatch(/old_tool_table\.txt is missing or empty/);
  });

  it("--adopt record appends the old analyses undelivered; later cycles retire them as usual", async () => {
    const first = await cli(["run", ...args, "--adopt", "record", "--min_days_after_delivery", "0"]);
    expect(first.code).toBe(0);
    const rows = await managed();
    for (const prefix of oldIds) expect(rows.some((id) => id.startsWith(prefix))).toBe(true);
    const manifests = await readdir(statePaths(join(dir.path, "state")).manifests).catch(() => []);
    for (const prefix of oldIds) expect(manifests.some((name) => name.includes(prefix))).toBe(false);
    const journal = JSON.parse(await readFile(join(dir.path, "state", "journal.json"), "utf8")) as { delivered: Record<string, unknown> };
    for (const prefix of oldIds) expect(Object.keys(journal.delivered).some((id) => id.startsWith(prefix))).toBe(false);

    // Without --adopt: the table has rows now, so the guard stays quiet and the old analyses age out.
    const second = await cli(["run", ...args, "--min_days_after_delivery", "0"]);
    expect(second.code).toBe(0);
    const deleted = sim.requests().requests.filter((r) => r.method === "POST" && /:delete$|:archive$/.test(r.path));
    expect(deleted.length).toBeGreaterThan(0);
  });

  it("--adopt deliver delivers the old analyses", async () => {
    const before = destinationManifests();
    const result = await cli(["run", ...args, "--adopt", "deliver"]);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/--adopt deliver: \d+ analyses older than days_to_archive \(60\) are delivered as new/);
    const journal = JSON.parse(await readFile(join(dir.path, "state", "journal.json"), "utf8")) as { delivered: Record<string, unknown> };
    for (const prefix of oldIds) expect(Object.keys(journal.delivered).some((id) => id.startsWith(prefix))).toBe(true);
    expect(destinationManifests()).toBeGreaterThan(before);
  });
});
