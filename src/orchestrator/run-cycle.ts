import { performance } from "node:perf_hooks";
import type { Logger } from "winston";
import { ConfigError, type ProjectRef, type Settings } from "../config/index.js";
import { AuthError, InvalidResponseError } from "../http/errors.js";
import type { IcaAnalysis } from "../ica/schemas.js";
import type { ProgressOptions, SecretRedactor } from "../logging/index.js";
import type { MetricsExporter } from "../metrics/index.js";
import { ProjectResolutionError } from "../modules/launch/index.js";
import { LockHeldError, newCycleId } from "../state/index.js";
import type { ActionRecord, CycleReport } from "./cycle-report.js";
import { openCycle } from "./open-cycle.js";
import { OutputFolders } from "./output-folders.js";
import { publishCycle } from "./publish-cycle.js";
import { cappedActions, deletionBudget, type DeletionBudget } from "./plan/cap.js";
import { findNewAnalyses, type NewAnalyses } from "./plan/new-analyses.js";
import type { StepPlan } from "./plan/plan-types.js";
import { createPlan } from "./plan/render-plan.js";
import { StepRun } from "./step-run.js";
import { basespaceLifecycle } from "./steps/basespace-lifecycle.js";
import { checkClock } from "./steps/check-clock.js";
import { classifyAged } from "./steps/classify-aged.js";
import { icaLifecycle } from "./steps/ica-lifecycle.js";
import { listAnalyses } from "./steps/list-analyses.js";
import { manageNew } from "./steps/manage-new.js";
import { closeJournal, recordReport } from "./steps/record.js";
import { requeueFailed } from "./steps/requeue-failed.js";
import { resolveProjects } from "./steps/resolve.js";

export { renderCycleReport, cycleReportSchema } from "./cycle-report.js";
export type { CycleOutcome, CycleReport, StepReport, ActionRecord, StoredCycleReport } from "./cycle-report.js";

export interface CycleOptions {
  /** From createLogger(); already redacting. */
  logger: Logger;
  /** The cycle registers the settings' secrets with it and redacts audit-log messages with it. */
  redactor: SecretRedactor;
  /** Tests pass the simulator's clock; default real time. */
  now?: () => Date;
  /** SIGTERM/SIGINT: the current step finishes, the journal is saved, the lock released, and the cycle returns. */
  signal?: AbortSignal;
  /** Tests shorten backoff. */
  retry?: { baseDelayMs?: number; retries?: number };
  /** Gets the figures of every finished cycle that is not a dry run (`--metrics_file`, `--metrics_port`). */
  metrics?: MetricsExporter;
  /** The CLI's stderr: live progress lines when it is a terminal. Without it, long steps log a line every 30 s. */
  progressStream?: ProgressOptions["stream"];
}

/**
 * Failures of the first calls that mean the configuration is wrong: they end the cycle (the CLI exits 2).
 * An unreadable answer there means the server URL names something other than the API.
 */
const configurationErrors = [ConfigError, ProjectResolutionError, AuthError, InvalidResponseError];

/**
 * One cycle for one source/destination pair, as named steps: resolve → listAnalyses → requeue (with
 * `--requeue_failed`) → manageNew → classifyAged → icaLifecycle → basespaceLifecycle → record. Each
 * step plans, then acts unless this is a dry run. A failing item is reported and the rest goes on; a
 * step that fails as a whole is reported and the later steps that do not depend on it still run —
 * never a destructive one whose inputs could not be read. The report then goes out as notifications
 * and metrics, still under the lock. Takes the state lock itself: a held lock gives outcome
 * "skipped-locked".
 */
export async function runCycle(settings: Settings, options: CycleOptions): Promise<CycleReport> {
  const clock = options.now ?? (() => new Date());
  const startedAt = clock();
  const startedMs = performance.now();
  let opened;
  try {
    opened = await openCycle(settings, { ...options, now: startedAt, clock });
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    options.logger.warn(error.message);
    return lockedReport(settings, startedAt, clock(), performance.now() - startedMs, error.message);
  }
  const { table } = opened;
  let ctx = opened.ctx;
  try {
    ctx.logger.info(`cycle ${ctx.cycleId} started${ctx.dryRun ? " (dry run)" : ""}`);
    const run = new StepRun(ctx, options.signal);
    table.warnings.forEach((warning) => run.warn(warning));

    const resolved = await run.step("resolve", null, (rec) => resolveProjects(ctx, rec), { fatal: configurationErrors });
    // Ages are measured on the servers' clock from here on; a clock too far off retires nothing.
    const clockCheck = await run.step("checkClock", resolved ? null : "the ICA projects could not be resolved", async (rec) =>
      checkClock(ctx.stats.serverClock, { cycleNow: ctx.now, localNow: clock() }, rec),
    );
    if (clockCheck) ctx = { ...ctx, now: clockCheck.now };
    const untrustedClock = clockCheck?.trusted ? null : "the local clock could not be checked against the servers', so nothing is archived or deleted this cycle";
    const sourceId = resolved?.source.id ?? "";
    const destinationId = resolved?.destination.id ?? "";
    const analyses = await run.step("listAnalyses", resolved ? null : "the ICA projects could not be resolved", (rec) =>
      listAnalyses(ctx, sourceId, rec),
    );
    const noListing = analyses ? null : "the analyses listing is missing, so nothing is linked, archived or deleted this cycle";
    const listed = analyses ?? [];
    const found = findNewAnalyses({ analyses: listed, managedIds: table.ids, inFlight: [], pipelinePattern: settings.bclConvertPattern });
    const outputFolders = new OutputFolders(ctx.ica, sourceId, settings.concurrency);

    const requeue = settings.requeueFailed
      ? await run.step("requeue", noListing, (rec) => requeueFailed(ctx, { sourceId, analyses: listed }, rec))
      : undefined;

    const manage = await run.step("manageNew", noListing, (rec) =>
      manageNew(ctx, { sourceId, destinationId, analyses: listed, managedIds: table.ids, outputFolders }, rec),
    );
    await run.step("classifyAged", noListing, (rec) => classifyAged(ctx, { sourceId, analyses: listed, outputFolders }, rec));
    const budget = deletionBudget(settings.deleteCap);
    const undelivered = undeliveredAnalyses(found, manage?.recorded ?? new Set());
    const ica = await run.step("icaLifecycle", noListing ?? untrustedClock, (rec) =>
      icaLifecycle(ctx, { sourceId, analyses: listed, outputFolders, budget, undelivered }, rec),
    );
    const basespace = await run.step("basespaceLifecycle", noListing ?? untrustedClock, (rec) =>
      basespaceLifecycle(
        ctx,
        { analyses: listed, scopes: resolved?.scopes ?? null, userId: resolved?.basespaceUserId ?? null, budget: ica?.budget ?? budgetLeft(budget, ctx.actions?.records ?? []) },
        rec,
      ),
    );
    await run.step("record", null, () => closeJournal(ctx));

    const plan = createPlan(ctx.now, [requeue, manage?.plan, ica, basespace].filter((p): p is StepPlan => p !== undefined));
    const projects = {
      source: resolved ? { id: resolved.source.id, name: resolved.source.name } : refOf(settings.source),
      destination: resolved ? { id: resolved.destination.id, name: resolved.destination.name } : refOf(settings.destination),
    };
    const report = await recordReport(ctx, run, { ...projects, plan, startedAt, finishedAt: clock(), durationMs: performance.now() - startedMs });
    await publishCycle(ctx, report, found.pending, { redactor: options.redactor, clock, signal: options.signal, ...(options.metrics ? { metrics: options.metrics } : {}) });
    return report;
  } finally {
    await opened.close();
  }
}

/**
 * New analyses (SUCCEEDED BCLConvert, not in the managed table) that manageNew did not record this
 * cycle — all of them if it failed as a whole. Their output folders must not be archived or deleted.
 */
function undeliveredAnalyses(found: NewAnalyses<IcaAnalysis, { analysisId: string }>, recorded: ReadonlySet<string>): Set<string> {
  return new Set(found.toManage.map(({ analysis }) => analysis.id).filter((id) => !recorded.has(id)));
}

/**
 * The deletion budget left after a step that failed part-way: every capped action it attempted counts
 * as spent, so the cap holds even when a step's own accounting was lost.
 */
function budgetLeft(budget: DeletionBudget, records: readonly ActionRecord[]): DeletionBudget {
  const capped: ReadonlySet<string> = cappedActions;
  const spent = records.filter((r) => capped.has(r.action)).reduce((n, r) => n + r.ids.length, 0);
  return { cap: budget.cap, remaining: Math.max(0, budget.remaining - spent) };
}

function refOf(ref: ProjectRef): { id: string; name: string } {
  return "id" in ref ? { id: ref.id, name: "" } : { id: "", name: ref.name };
}

function lockedReport(settings: Settings, startedAt: Date, finishedAt: Date, durationMs: number, message: string): CycleReport {
  return {
    cycleId: newCycleId(startedAt),
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
