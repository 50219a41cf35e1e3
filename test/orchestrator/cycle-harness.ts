// Shared by the cycle-*.test.ts files: a simulator, settings pointing at it, and a cycle run with
// the simulator's clock and a silent, redacting logger.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Settings } from "../../src/config/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import type { SimTimings } from "../../src/simulator/context.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";
import { cycleAt, LogSink, testApiKey, testToken } from "./cycle-settings.js";

export { cycleAt, cycleSettings, LogSink, testApiKey, testToken } from "./cycle-settings.js";

/** A fixed start, so fixture ages ("days ago") and the cycles' `now` agree to the millisecond. */
const simStartMs = Date.UTC(2025, 10, 21, 12, 0, 0);

export const instantTimings: Partial<SimTimings> = {
  icaLinkBatchMs: 0,
  icaArchiveMs: 0,
  icaUnarchiveMs: 0,
  icaDeleteMs: 0,
  bsRestoreMs: 0,
};

export function startCycleSimulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({
    fixture: "demo",
    icaApiKey: testApiKey,
    basespaceToken: testToken,
    startMs: simStartMs,
    timings: instantTimings,
    ...opts,
  });
}

export async function tempStateDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cycle-test-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function cycle(sim: Simulator, settings: Settings, sink = new LogSink()): Promise<CycleReport> {
  return cycleAt(() => new Date(sim.clock.now()), settings, sink);
}

/** Requests per route the simulator saw, mutating ones counted separately. */
export function simCalls(sim: Simulator): { total: number; mutating: number; byRoute: Record<string, number> } {
  const stats = sim.stats();
  return { total: stats.total, mutating: stats.mutating, byRoute: stats.byRoute };
}
