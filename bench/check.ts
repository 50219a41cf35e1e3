import { cycleScenarioNames, type BenchResults } from "./results.js";

/** `--check` fails on a figure more than 20 % worse than the committed one. */
const regressionTolerance = 0.2;

/**
 * Differences this small are noise, not regressions: a timer tick and scheduling on a shared machine
 * move a 300 ms cycle by more than 20 %, the allocator moves RSS by a few MB, and loading lab-year took
 * anywhere from 1.0 to 1.8 s across runs of the same code. Calls have no noise.
 */
const noiseFloors = { calls: 0, wallMs: 150, peakRssMb: 10, loadMs: 500, pageMs: 2 } as const;

export interface Regression {
  /** A scenario name, or `simulator`. */
  where: string;
  metric: string;
  baseline: number;
  current: number;
}

function worse(baseline: number, current: number, floor: number, tolerance: number): boolean {
  return current > baseline * (1 + tolerance) && current - baseline > floor;
}

/**
 * Every figure of `current` that is worse than `baseline` beyond the tolerance. Scenarios missing from
 * either side are not compared (a `--scenarios` subset checks only what it ran). Wall times are only
 * comparable at the same latency, so a different latency is refused rather than compared.
 */
export function findRegressions(baseline: BenchResults, current: BenchResults, tolerance = regressionTolerance): Regression[] {
  if (baseline.latencyMs !== current.latencyMs || baseline.latencyJitterMs !== current.latencyJitterMs) {
    throw new Error(
      `--check compares against results taken at ${baseline.latencyMs} ms (+${baseline.latencyJitterMs} ms jitter) latency, ` +
        `this run used ${current.latencyMs} ms (+${current.latencyJitterMs}); run with the same --latency-ms and --jitter-ms`,
    );
  }
  const found: Regression[] = [];
  const compare = (where: string, metric: string, before: number | undefined, after: number | undefined, floor: number) => {
    if (before !== undefined && after !== undefined && worse(before, after, floor, tolerance)) {
      found.push({ where, metric, baseline: before, current: after });
    }
  };
  for (const name of cycleScenarioNames) {
    const before = baseline.scenarios[name];
    const after = current.scenarios[name];
    if (!before || !after) continue;
    compare(name, "calls", before.calls, after.calls, noiseFloors.calls);
    compare(name, "wallMs", before.wallMs, after.wallMs, noiseFloors.wallMs);
    compare(name, "peakRssMb", before.peakRssMb, after.peakRssMb, noiseFloors.peakRssMb);
  }
  compare("simulator", "labYearLoadMs", baseline.simulator.labYearLoadMs, current.simulator.labYearLoadMs, noiseFloors.loadMs);
  compare("simulator", "scale1mLoadMs", baseline.simulator.scale1mLoadMs, current.simulator.scale1mLoadMs, noiseFloors.loadMs);
  compare("simulator", "page1000Ms", baseline.simulator.page1000Ms, current.simulator.page1000Ms, noiseFloors.pageMs);
  return found;
}

export function describeRegression(r: Regression): string {
  const pct = r.baseline === 0 ? "∞" : `${Math.round((r.current / r.baseline - 1) * 100)}`;
  return `${r.where} ${r.metric}: ${r.current} vs ${r.baseline} committed (+${pct} %)`;
}
