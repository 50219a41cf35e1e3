import type { LatencyModeResult, LatencyRunFigures, UnderFaults } from "./results.js";

/** The p-quantile of sorted latencies (nearest rank), rounded to the ms; 0 when none was delivered. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
}

/** One run's figures: `latencies` are those delivered (any order), `analyses` all that finished. */
export function runFigures(analyses: number, latencies: readonly number[]): LatencyRunFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    analyses,
    missed: analyses - sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: Math.round(sorted.at(-1) ?? 0),
  };
}

/**
 * A mode's row: the latency run's figures and idle calls, and with a fault run its figures under
 * `underFaults`; `missed` is then the worse of the two runs', so a 0 there means none missed with
 * events lost and duplicated either.
 */
export function modeResult(latency: LatencyRunFigures, callsPerIdleHour: number, underFaults?: UnderFaults): LatencyModeResult {
  if (!underFaults) return { ...latency, callsPerIdleHour };
  return { ...latency, missed: Math.max(latency.missed, underFaults.missed), callsPerIdleHour, underFaults };
}
