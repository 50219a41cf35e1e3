import type { MetricFamily, Sample } from "./exposition.js";

/** The parts of a CycleReport (src/orchestrator/cycle-report.ts) the metrics are made of. */
export interface MetricsReportFacts {
  /** "delivery" (the fast path of `watch`): its samples carry `cycle="delivery"`, apart from the full cycle's. */
  kind?: string | undefined;
  dryRun: boolean;
  outcome: string;
  finishedAt: string;
  durationMs: number;
  source: { id: string; name: string };
  destination: { id: string; name: string };
  errors: readonly string[];
  warnings: readonly string[];
  steps: readonly { name: string; counts: Readonly<Record<string, number>> }[];
  actions: readonly { action: string; ids: readonly string[]; result: string }[];
  apiCalls: { total: number; byRoute: Readonly<Record<string, number>> };
  storage?: { standardTB: number; archivedTB: number; estimatedMonthlyIcredits: number };
}

export interface CycleMetricsInput {
  report: MetricsReportFacts;
  /** Waiting work by kind (analysis, managing, ica-delete, basespace-restore): pendingByKind(waitingItems(…)). */
  pending: Readonly<Record<string, number>>;
}

const metricPrefix = "ica_orchestrator_";
const cycleOutcomes = ["ok", "failures", "skipped-locked", "aborted"] as const;

/** Every family this tool writes, in file order. */
export const metricHelp = {
  cycle_duration_seconds: "Duration of the last cycle.",
  cycle_outcome: "Outcome of the last cycle: 1 for its outcome, 0 for the others.",
  cycle_last_run_timestamp_seconds: "When the last cycle finished, as a unix timestamp.",
  cycle_last_success_timestamp_seconds: "When the last cycle with outcome ok finished, as a unix timestamp.",
  cycle_last_failure_timestamp_seconds: "When the last cycle with outcome failures finished (configuration and credential failures included), as a unix timestamp.",
  cycle_errors: "Errors in the last cycle.",
  cycle_warnings: "Warnings in the last cycle.",
  cycle_api_calls_all: "API calls made by the last cycle, retries included.",
  cycle_api_calls: "API calls made by the last cycle, per service, method and route template.",
  cycle_actions: "Items acted on by the last cycle's mutating calls (link, archive, delete, restore, trash...), by result.",
  cycle_step_count: "Counts the last cycle's steps reported (linked, pending, archived...).",
  pending: "Work waiting on ICA or BaseSpace after the last cycle, by kind.",
  storage_managed_terabytes: "Storage under management after the last cycle, in TB, by class (standard, archived); see docs/cost.md.",
  storage_estimated_monthly_icredits: "Estimated iCredits a month the storage under management costs at the configured prices.",
} as const;
export type MetricKey = keyof typeof metricHelp;

export const metricName = (key: MetricKey): string => `${metricPrefix}${key}`;

/** The labels that tell source/destination pairs apart in one file. */
function pairLabels(report: Pick<MetricsReportFacts, "source" | "destination">): Record<"source" | "destination", string> {
  return { source: report.source.name || report.source.id, destination: report.destination.name || report.destination.id };
}

/**
 * The labels of one cycle's series: its pair, and `cycle="delivery"` for a delivery-only cycle, so the
 * fast path of `watch` does not replace the full cycle's figures (whose series keep their labels).
 */
export function seriesLabels(report: Pick<MetricsReportFacts, "source" | "destination" | "kind">): Record<string, string> {
  return { ...pairLabels(report), ...(report.kind === "delivery" ? { cycle: report.kind } : {}) };
}

/** `ica GET /api/projects/{projectId}/data` → service, method, route. */
function routeLabels(key: string): Record<string, string> {
  const [service = "", method = "", ...route] = key.split(" ");
  return route.length > 0 ? { service, method, route: route.join(" ") } : { service: "", method: "", route: key };
}

/** Counts of waiting items by kind, for CycleMetricsInput.pending. */
export function pendingByKind(items: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}

/**
 * The samples of one cycle, all labelled with its pair. The last success and last failure are not among
 * them: they may come from an earlier cycle (see MetricsExporter).
 */
export function cycleSamples(input: CycleMetricsInput): Map<MetricKey, Sample[]> {
  const { report } = input;
  const pair = seriesLabels(report);
  const out = new Map<MetricKey, Sample[]>();
  const add = (key: MetricKey, value: number, labels: Record<string, string> = {}): void => {
    const list = out.get(key) ?? [];
    list.push({ name: metricName(key), labels: { ...pair, ...labels }, value });
    out.set(key, list);
  };
  add("cycle_duration_seconds", report.durationMs / 1000);
  for (const outcome of cycleOutcomes) add("cycle_outcome", outcome === report.outcome ? 1 : 0, { outcome });
  add("cycle_last_run_timestamp_seconds", Date.parse(report.finishedAt) / 1000);
  add("cycle_errors", report.errors.length);
  add("cycle_warnings", report.warnings.length);
  add("cycle_api_calls_all", report.apiCalls.total);
  for (const [route, n] of Object.entries(report.apiCalls.byRoute).sort()) add("cycle_api_calls", n, routeLabels(route));
  const actions = new Map<string, number>();
  for (const a of report.actions) {
    const key = `${a.action}\u0000${a.result}`;
    actions.set(key, (actions.get(key) ?? 0) + a.ids.length);
  }
  for (const [key, n] of [...actions].sort()) {
    const [action = "", result = ""] = key.split("\u0000");
    add("cycle_actions", n, { action, result });
  }
  for (const step of report.steps) {
    for (const [count, n] of Object.entries(step.counts)) add("cycle_step_count", n, { step: step.name, count });
  }
  for (const [kind, n] of Object.entries(input.pending).sort()) add("pending", n, { kind });
  if (report.storage) {
    add("storage_managed_terabytes", report.storage.standardTB, { class: "standard" });
    add("storage_managed_terabytes", report.storage.archivedTB, { class: "archived" });
    add("storage_estimated_monthly_icredits", report.storage.estimatedMonthlyIcredits);
  }
  return out;
}

/** Families in the fixed order of metricHelp, holding the given samples (families without samples are left out). */
export function toFamilies(samples: ReadonlyMap<MetricKey, readonly Sample[]>): MetricFamily[] {
  return (Object.keys(metricHelp) as MetricKey[])
    .filter((key) => (samples.get(key)?.length ?? 0) > 0)
    .map((key) => ({ name: metricName(key), help: metricHelp[key], type: "gauge", samples: samples.get(key) ?? [] }));
}
