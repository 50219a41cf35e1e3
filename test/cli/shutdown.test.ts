import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoTimings } from "../../src/cli/commands/demo.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { Simulator } from "../../src/simulator/server.js";
import { acquireStateLock, openJournal, statePaths } from "../../src/state/index.js";
import { capturedContext, spawnCli, tempDir, until } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

/** Long enough to be waited on, short enough that passing it keeps the clocks within the 30 s warning. */
const linkBatchMs = 20_000;

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-shutdown-");
  // A linking batch stays IN_PROGRESS until the test moves the simulated clock on: the cycle waits on it.
  sim = await startCliSimulator(dir.path, { timings: { ...demoTimings, icaLinkBatchMs: linkBatchMs } });
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const stateDir = (): string => join(dir.path, "state");
const batchReads = (): number =>
  Object.entries(sim.stats().byRoute)
    .filter(([route]) => route.startsWith("GET") && route.includes("dataLinkingBatch/{batchId}"))
    .reduce((n, [, count]) => n + count, 0);
const journaledBatches = async (): Promise<string[]> =>
  Object.values((await openJournal(statePaths(stateDir()).journal, { readOnly: true })).data.managing).flatMap((m) => m.linkBatchIds ?? []);

describe("SIGTERM while a cycle waits on a linking batch", () => {
  it.each(["run", "watch"])("ends %s within 10 s, keeps the batch in the journal and releases the lock; the next cycle finishes the delivery", async (command) => {
    const run = await spawnCli([command, ...args]);
    // Waiting: the batch was created, journaled and read at least twice (the first wait is over).
    await until(() => batchReads() >= 2 || run.output.closed);
    expect(run.output.closed, run.output.stderr).toBe(false);
    const signalledAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(run.output.stderr).toMatch(/SIGTERM received/);
    expect(run.output.stdout).toMatch(/^Cycle \S+: aborted/m);

    expect((await journaledBatches()).length).toBeGreaterThan(0);
    const lock = await acquireStateLock(stateDir());
    await lock.release();

    sim.advanceClock(linkBatchMs);
    const context = capturedContext({ cwd: dir.path });
    expect(await runCli(["run", ...args], context), context.err()).toBe(0);
    expect(await journaledBatches()).toEqual([]);
    const table = await readFile(join(stateDir(), "analyses_managed_table.txt"), "utf8");
    expect(table.trim().split("\n").length).toBeGreaterThan(1);
  });
});
