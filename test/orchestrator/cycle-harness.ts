// Shared by the cycle-*.test.ts files: a simulator, settings pointing at it, and a cycle run with
// the simulator's clock and a silent, redacting logger.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
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

/** A fresh demo simulator and state directory for every test of the file that calls this (at its top level). */
export function simulatorPerTest(): { sim(): Simulator; stateDir(): string } {
  let sim: Simulator | undefined;
  let state: { dir: string; remove(): Promise<void> } | undefined;
  beforeEach(async () => {
    sim = await startCycleSimulator();
    state = await tempStateDir();
  });
  afterEach(async () => {
    await sim?.stop();
    await state?.remove();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("simulatorPerTest: used outside a test");
    return value;
  };
  return { sim: () => started(sim), stateDir: () => started(state).dir };
}

export async function cycle(sim: Simulator, settings: Settings, sink = new LogSink()): Promise<CycleReport> {
  return cycleAt(() => new Date(sim.clock.now()), settings, sink);
}

/** Requests per route the simulator saw, mutating ones counted separately. */
export function simCalls(sim: Simulator): { total: number; mutating: number; byRoute: Record<string, number> } {
  const stats = sim.stats();
  return { total: stats.total, mutating: stats.mutating, byRoute: stats.byRoute };
}
