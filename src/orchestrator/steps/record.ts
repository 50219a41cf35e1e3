import type { ProjectRef, Settings } from "../../config/index.js";
import { newCycleId, pruneReports, writeCycleReport } from "../../state/index.js";
import type { CycleKind, CycleOutcome, CycleReport } from "../cycle-report.js";
import type { CycleContext } from "../cycle-context.js";
import type { ResolvedProjects } from "../cycle-facts.js";
import type { StepPlan } from "../plan/plan-types.js";
import { lifecycleCostOf, type StorageUnderManagement } from "../plan/cost.js";
import { planContextOf } from "../plan/plan-context.js";
import { createPlan } from "../plan/render-plan.js";
import { storedPlan } from "../plan/stored-plan.js";
import { storageReport } from "../storage-managed.js";
import type { StepRun } from "../step-run.js";
import { messageOf } from "../step-recorder.js";

/** The journal's end-of-cycle stamp, saved with whatever the steps left unsaved. */
export async function closeJournal(ctx: CycleContext): Promise<void> {
  ctx.journal.finishCycle();
  await ctx.journalWriter.save();
  const actions = ctx.actions;
  if (actions) await ctx.ledger.save(() => actions.assertLockHeld());
}

export interface ReportFrame {
  kind: CycleKind;
  /** From resolve; without it the report names the projects as configured. */
  projects: ResolvedProjects | undefined;
  /** The plans of the steps that planned, in step order. */
  plans: ReadonlyArray<StepPlan | undefined>;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /**
   * A configuration or credential error ended the cycle: bad input changes nothing, so the report is
   * published (alert, metrics) but not written into the state directory.
   */
  endedByConfigurationError?: boolean;
  /** Storage under management at the end of the cycle (storage-managed.ts); absent when the listing failed. */
  storage?: StorageUnderManagement;
  /** `plan --as-of`: the cycle's `now` is the date asked for. */
  asOf?: boolean;
}

/**
 * Step 7: the cycle report — counts, warnings and errors per step, the mutating calls made, API calls
 * per route, duration — written as JSON to the state directory (not in a dry run, nor after a
 * configuration error) and returned. The
 * audit log already has a line for every mutating call, written as each was made.
 */
export async function recordReport(ctx: CycleContext, run: StepRun, frame: ReportFrame): Promise<CycleReport> {
  const steps = run.recorders.map((rec) => rec.toReport());
  const prefixed = (key: "warnings" | "errors") => steps.flatMap((step) => step[key].map((m) => `[${step.name}] ${m}`));
  // A halted cycle (state not writable, lock lost) must say so even if no step reported it: it alerts and exits 1.
  const halted = ctx.actions?.halted;
  const errors = [...prefixed("errors"), ...(halted ? [`[record] ${halted.message}`] : [])];
  const failures = run.recorders.flatMap((rec) => rec.failures.map((f) => ({ ...f, message: `[${rec.name}] ${f.message}` })));
  const outcome: CycleOutcome = run.aborted ? "aborted" : errors.length > 0 ? "failures" : "ok";
  const snapshot = ctx.stats.snapshot();
  const report: CycleReport = {
    cycleId: ctx.cycleId,
    kind: frame.kind,
    dryRun: ctx.dryRun,
    outcome,
    startedAt: frame.startedAt.toISOString(),
    finishedAt: frame.finishedAt.toISOString(),
    durationMs: Math.round(frame.durationMs),
    source: frame.projects ? nameOf(frame.projects.source) : refOf(ctx.settings.source),
    destination: frame.projects ? nameOf(frame.projects.destination) : refOf(ctx.settings.destination),
    plan: createPlan(
      ctx.now,
      frame.plans.filter((p): p is StepPlan => p !== undefined),
      planContextOf(ctx.settings, frame.asOf === true),
    ),
    steps,
    warnings: [...run.warnings, ...prefixed("warnings")],
    errors,
    failures,
    contradictions: ctx.ledger.contradictionsSeen(),
    actions: ctx.actions?.records ?? [],
    ...(ctx.actions ? { actionTotals: { ...ctx.actions.totals } } : {}),
    apiCalls: {
      total: snapshot.totalRequests,
      byRoute: Object.fromEntries(Object.entries(snapshot.routes).map(([route, stats]) => [route, stats.requests])),
    },
    ...(frame.storage ? { storage: storageReport(frame.storage, lifecycleCostOf(ctx.settings).rates) } : {}),
  };
  ctx.logger.info(`${frame.kind === "delivery" ? "delivery cycle" : "cycle"} ${ctx.cycleId} ${outcome}: ${report.apiCalls.total} API calls, ${ctx.actions?.totals.calls ?? 0} mutating`);
  if (ctx.dryRun || frame.endedByConfigurationError) return report;
  try {
    // Fencing: a cycle that lost the lock writes no report into the newer cycle's state.
    const fence = () => ctx.actions?.assertLockHeld();
    const reportPath = await writeCycleReport(ctx.paths, ctx.cycleId, { ...report, plan: storedPlan(report.plan), reportPath: undefined }, fence);
    const pruned = await pruneReports(ctx.paths, ctx.settings.keepReportsDays, ctx.now, fence);
    if (pruned > 0) ctx.logger.info(`removed ${pruned} cycle report(s) older than ${ctx.settings.keepReportsDays} days (--keep_reports_days)`);
    return { ...report, reportPath };
  } catch (error) {
    const message = `[record] cycle report not written: ${messageOf(error)}`;
    ctx.logger.error(message);
    return { ...report, outcome: outcome === "ok" ? "failures" : outcome, errors: [...errors, message] };
  }
}

function nameOf(project: { id: string; name: string }): { id: string; name: string } {
  return { id: project.id, name: project.name };
}

/** A project as configured: by id or by name, the other left empty. */
function refOf(ref: ProjectRef): { id: string; name: string } {
  return "id" in ref ? { id: ref.id, name: "" } : { id: "", name: ref.name };
}

/** The report of a cycle that did not run because another one holds the state lock. */
export function lockedReport(settings: Settings, kind: CycleKind, startedAt: Date, finishedAt: Date, durationMs: number, message: string): CycleReport {
  return {
    cycleId: newCycleId(startedAt),
    kind,
    dryRun: settings.dryRun,
    outcome: "skipped-locked",
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(durationMs),
    source: refOf(settings.source),
    destination: refOf(settings.destination),
    plan: createPlan(startedAt, []),
    steps: [],
    warnings: [message],
    errors: [],
    actions: [],
    apiCalls: { total: 0, byRoute: {} },
  };
}
