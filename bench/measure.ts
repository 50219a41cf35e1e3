import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SettingsDraft } from "../src/config/index.js";
import type { Fixture, Simulator } from "../src/simulator/index.js";
import { parseBenchSettings, type CycleChildResult } from "./cycle-spec.js";
import { runCycleProcess } from "./cycle-process.js";
import { lowerBound, lowerBoundTerms } from "./lower-bound.js";
import type { ScenarioResult } from "./results.js";
import { workloadFromFixture, type Phase } from "./workload.js";
import { median } from "./median.js";

export interface Latency {
  latencyMs: number;
  latencyJitterMs: number;
}

interface CycleRun {
  sim: Simulator;
  settings: SettingsDraft;
  workDir: string;
  label: string;
}

interface CycleOutcome {
  child: CycleChildResult;
  calls: number;
  mutatingCalls: number;
  callsByRoute: Record<string, number>;
}

/**
 * One cycle as a child process against `sim`, with the simulator's call counters read around it. The
 * requests it made (as far as the simulator's log keeps them) go to `<label>.requests.jsonl`, to see
 * where calls went.
 */
async function runOneCycle({ sim, settings, workDir, label }: CycleRun): Promise<CycleOutcome> {
  sim.resetStats();
  const since = sim.requests(Number.MAX_SAFE_INTEGER).lastSeq;
  const child = await runCycleProcess({ settings, clockOffsetMs: sim.clock.now() - Date.now(), workDir, label });
  const stats = sim.stats();
  const log = sim.requests(since);
  await writeFile(join(workDir, `${label}.requests.jsonl`), log.requests.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return { child, calls: stats.total, mutatingCalls: stats.mutating, callsByRoute: stats.byRoute };
}

/** Peak RSS every scenario is held to (issue 18). */
const rssBoundMb = 200;
/**
 * A scenario whose first run peaks at this share of the bound or above is run again, up to `rssRuns`
 * times, and reports the median: one major collection more or less moves a peak by ±15 % on this
 * machine, so only near the bound can one run's timing decide the verdict.
 */
const rerunAtShareOfBound = 0.8;

const mbOf = (maxRssKb: number): number => Math.round(maxRssKb / 102.4) / 10;

export interface MeasureInput extends CycleRun {
  latency: Latency;
  fixture: Fixture;
  phase: Phase;
  /** Simulated time the fixture was loaded at. */
  loadedAtMs: number;
  managedIds?: ReadonlySet<string>;
}

/** A measured scenario: the cycle at the bench latency, and the lower bound for the same moment. */
export async function measureScenario(input: MeasureInput): Promise<ScenarioResult> {
  input.sim.setFaults(input.latency);
  const workload = workloadFromFixture({
    fixture: input.fixture,
    phase: input.phase,
    loadedAtMs: input.loadedAtMs,
    nowMs: input.sim.clock.now(),
    settings: parseBenchSettings(input.settings),
    managedIds: input.managedIds,
  });
  const run = await runOneCycle(input);
  const bound = lowerBound(workload);
  return {
    wallMs: Math.round(run.child.wallMs),
    calls: run.calls,
    lowerBound: bound,
    ratio: Math.round((run.calls / bound) * 100) / 100,
    peakRssMb: mbOf(run.child.maxRssKb),
    mutatingCalls: run.mutatingCalls,
    callsByRoute: run.callsByRoute,
    lowerBoundTerms: lowerBoundTerms(workload),
    outcome: run.child.outcome,
  };
}

/** The cycle's schedule: a steady cycle is followed by another this much later. */
const cycleIntervalMs = 10 * 60_000;

/**
 * `cycles` more cycles in a row after the steady one, the clock moved on by one cycle interval before
 * each: a cycle that re-read something every time (a wait read again and again) would show it here as
 * reads that do not go away, or grow. Time passing may bring an item across a window (a dataset turns
 * 60 days old): its action is counted apart, as changing calls. Measured at the bench latency.
 */
export async function steadyCallsOver(input: CycleRun, cycles: number): Promise<Array<{ calls: number; mutatingCalls: number }>> {
  const runs: Array<{ calls: number; mutatingCalls: number }> = [];
  for (let n = 1; n <= cycles; n++) {
    input.sim.advanceClock(cycleIntervalMs);
    const run = await runOneCycle({ ...input, label: `${input.label}-${n}` });
    runs.push({ calls: run.calls, mutatingCalls: run.mutatingCalls });
  }
  return runs;
}

/**
 * `result` with its peak RSS the median of up to `runs` runs when its first run is near the bound;
 * `rerun(n)` runs the scenario again from the same starting state and returns the child's peak RSS in KB.
 */
export async function withMedianRss(result: ScenarioResult, runs: number, rerun: (run: number) => Promise<number>): Promise<ScenarioResult> {
  const rss = [result.peakRssMb];
  while (rss.length < runs && result.peakRssMb >= rerunAtShareOfBound * rssBoundMb) rss.push(mbOf(await rerun(rss.length + 1)));
  return rss.length === 1 ? result : { ...result, peakRssMb: median(rss), peakRssRunsMb: rss };
}

/** The rerun of a cycle that changes nothing (dry, steady): the same cycle again on the same simulator. */
export function sameCycleAgain(input: CycleRun): (run: number) => Promise<number> {
  return async (run) => (await runOneCycle({ ...input, label: `${input.label}-rss${run}` })).child.maxRssKb;
}

/** Cycles until one, started with no change pending in the simulator, changes nothing. */
export interface ConvergeInput extends CycleRun {
  /** Simulated time to let pass between cycles, so archive/unarchive/delete/restore complete. */
  settleMs: number;
  maxCycles: number;
  progress: (line: string) => void;
}

/**
 * Brings the simulator to the state a steady cycle meets: everything new managed, everything aged
 * classified, every lifecycle action done and finished. Runs without latency (it is preparation).
 */
export async function converge(input: ConvergeInput): Promise<number> {
  input.sim.setFaults({ latencyMs: 0, latencyJitterMs: 0 });
  for (let cycle = 1; cycle <= input.maxCycles; cycle++) {
    input.sim.advanceClock(input.settleMs);
    const run = await runOneCycle({ ...input, label: `${input.label}-${cycle}` });
    input.progress(`  ${input.label} ${cycle}: ${run.calls} calls, ${run.mutatingCalls} changing, ${Math.round(run.child.wallMs)} ms, ${run.child.outcome}`);
    if (run.mutatingCalls === 0) return cycle;
  }
  throw new Error(`${input.label}: still changing things after ${input.maxCycles} cycles; see the logs in ${input.workDir}`);
}
