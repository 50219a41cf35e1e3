import { z } from "zod";
import { describeContradiction } from "../assumptions/index.js";
import { alignColumns } from "./plan/format.js";
import { describeProject, formatIcredits } from "./plan/render-plan.js";
import type { Plan } from "./plan/plan-types.js";
import { plannedIcredits } from "./plan/stored-plan.js";

const cycleOutcomes = ["ok", "failures", "skipped-locked", "aborted"] as const;
export type CycleOutcome = (typeof cycleOutcomes)[number];

const stepReportSchema = z.object({
  name: z.string(),
  counts: z.record(z.string(), z.number()),
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
});
export type StepReport = z.infer<typeof stepReportSchema>;

/** One mutating call the cycle made, as the audit log also has it (with all of its targets). */
const actionRecordSchema = z.object({
  step: z.string(),
  action: z.string(),
  /** The call's targets, at most the first 100 (action-log.ts); `idCount` says how many it had when more. */
  ids: z.array(z.string()),
  paths: z.array(z.string()).optional(),
  idCount: z.number().optional(),
  result: z.enum(["ok", "failed"]),
  message: z.string().optional(),
});
export type ActionRecord = z.infer<typeof actionRecordSchema>;

/** A full cycle, or the delivery-only cycle of the fast path of `watch`. */
const cycleKinds = ["full", "delivery"] as const;
export type CycleKind = (typeof cycleKinds)[number];

const projectRefSchema = z.object({ id: z.string(), name: z.string() });

/** An error with what failed (notify/failure-fact.ts); the message is the one in `errors`. */
const failureSchema = z.object({ message: z.string(), kind: z.string().optional(), route: z.string().optional(), object: z.string().optional() });

/**
 * `reports/<cycle-id>.json`, also what runCycle returns. `plan` is the Plan object of the plan module in
 * what runCycle returns, and its StoredPlan (stored-plan.ts: counts and ids) in the file; reading a stored
 * report keeps it as unknown JSON (older reports hold the whole Plan).
 */
export const cycleReportSchema = z.object({
  cycleId: z.string(),
  /** "delivery": a fast-path cycle of `watch` (resolve, list, manageNew, record only). Absent in older reports: a full cycle. */
  kind: z.enum(cycleKinds).optional(),
  dryRun: z.boolean(),
  outcome: z.enum(cycleOutcomes),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  source: projectRefSchema,
  destination: projectRefSchema,
  plan: z.unknown(),
  steps: z.array(stepReportSchema),
  /** Every warning and error of the cycle, step ones prefixed with `[step]`. */
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
  /** The errors again, each with the kind, route and object of what failed when known: alerts deduplicate on these. */
  failures: z.array(failureSchema).optional(),
  /**
   * Ledger entries (docs/assumptions.md) this cycle saw the services contradict, with what was seen; each
   * stops the kinds of action it gates until `ica-orchestrator ack <assumption>`. Absent in older reports.
   */
  contradictions: z.array(z.object({ assumption: z.string(), evidence: z.string() })).optional(),
  /** The mutating calls made (none in a dry run), in the order they finished: the first 1,000 (action-log.ts). */
  actions: z.array(actionRecordSchema),
  /** Every mutating call counted, those `actions` leaves out too; absent in older reports, whose `actions` lists them all. */
  actionTotals: z.object({ calls: z.number(), failed: z.number() }).optional(),
  apiCalls: z.object({ total: z.number(), byRoute: z.record(z.string(), z.number()) }),
  /** Storage under management at the end of the cycle and its estimated monthly iCredits (storage-managed.ts). */
  storage: z.object({ standardTB: z.number(), archivedTB: z.number(), estimatedMonthlyIcredits: z.number() }).optional(),
  reportPath: z.string().optional(),
});
export type StoredCycleReport = z.infer<typeof cycleReportSchema>;
export type CycleReport = Omit<StoredCycleReport, "plan"> & { plan: Plan };

const maxListed = 10;

/** The short table printed after a cycle: outcome, one line per step, API calls, then warnings and errors. */
export function renderCycleReport(report: StoredCycleReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const mode = report.dryRun ? " (dry run: nothing changed)" : "";
  const lines = [
    `${report.kind === "delivery" ? "Delivery cycle" : "Cycle"} ${report.cycleId}: ${report.outcome}${mode} in ${seconds} s`,
    `  ${describeProject(report.source)} → ${describeProject(report.destination)}`,
  ];
  const rows = report.steps.map((step) => [
    step.name,
    Object.entries(step.counts)
      .filter(([, n]) => n !== 0)
      .map(([key, n]) => `${key} ${n}`)
      .join(", ") || "-",
    String(step.warnings.length),
    String(step.errors.length),
  ]);
  if (rows.length > 0) lines.push(...alignColumns([["STEP", "COUNTS", "WARN", "ERR"], ...rows]).map((line) => `  ${line}`));
  lines.push(`  API calls: ${report.apiCalls.total}${callsByService(report.apiCalls.byRoute)}`);
  const planned = plannedIcredits(report.plan);
  if (planned.once !== 0 || planned.perMonth !== 0) lines.push(`  Estimated iCredits of the planned actions: ${formatIcredits(planned)}`);
  if (report.storage) {
    const { standardTB, archivedTB, estimatedMonthlyIcredits } = report.storage;
    lines.push(`  Storage under management: ${standardTB} TB standard, ${archivedTB} TB archived; est. ${estimatedMonthlyIcredits} iCredits/month`);
  }
  const { calls, failed } = report.actionTotals ?? { calls: report.actions.length, failed: report.actions.filter((a) => a.result === "failed").length };
  if (calls > 0) lines.push(`  Mutating calls: ${calls}${failed ? ` (${failed} failed)` : ""}`);
  const contradicted = (report.contradictions ?? []).map((c) => `${describeContradiction(c)}; stopped until \`ica-orchestrator ack ${c.assumption}\``);
  lines.push(...listed("Contradicted assumptions", contradicted), ...listed("Warnings", report.warnings), ...listed("Errors", report.errors));
  if (report.reportPath) lines.push(`  Report: ${report.reportPath}`);
  return `${lines.join("\n")}\n`;
}

function callsByService(byRoute: Record<string, number>): string {
  const perService = new Map<string, number>();
  for (const [route, n] of Object.entries(byRoute)) {
    const service = route.split(" ")[0] ?? route;
    perService.set(service, (perService.get(service) ?? 0) + n);
  }
  if (perService.size === 0) return "";
  return ` (${[...perService].map(([service, n]) => `${service} ${n}`).join(", ")})`;
}

function listed(title: string, messages: readonly string[]): string[] {
  if (messages.length === 0) return [];
  const shown = messages.slice(0, maxListed).map((m) => `    - ${m}`);
  const more = messages.length > maxListed ? [`    … and ${messages.length - maxListed} more (see the JSON report)`] : [];
  return [`  ${title}:`, ...shown, ...more];
}
