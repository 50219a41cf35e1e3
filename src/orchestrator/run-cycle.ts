import { performance } from "node:perf_hooks";
import type { Logger } from "winston";
import type { Settings } from "../config/index.js";
import type { ProgressOptions, SecretRedactor } from "../logging/index.js";
import type { MetricsExporter } from "../metrics/index.js";
import { listingFacts, type ListingFacts } from "../modules/monitor/index.js";
import { LockHeldError } from "../state/index.js";
import { cycleConfigurationErrors } from "./configuration-errors.js";
import type { CycleKind, CycleReport } from "./cycle-report.js";
import type { ListedCycle } from "./cycle-facts.js";
import type { StepPlan } from "./plan/plan-types.js";
import { openCycle } from "./open-cycle.js";
import { publishCycle } from "./publish-cycle.js";
import { reportUnmatchedProtect } from "./protect-report.js";
import { StepRun } from "./step-run.js";
import { storageUnderManagement } from "./storage-managed.js";
import { basespaceLifecycle } from "./steps/basespace-lifecycle.js";
import { checkClock } from "./steps/check-clock.js";
import { classifyAged } from "./steps/classify-aged.js";
import { icaLifecycle } from "./steps/ica-lifecycle.js";
import { adoptAnalyses, AdoptionRequiredError } from "./steps/adopt-analyses.js";
import { listAnalyses } from "./steps/list-analyses.js";
import { manageNew } from "./steps/manage-new.js";
import { closeJournal, lockedReport, recordReport } from "./steps/record.js";
import { requeueFailed } from "./steps/requeue-failed.js";
import { resolveProjects } from "./steps/resolve.js";

export { renderCycleReport, cycleReportSchema } from "./cycle-report.js";
export type { CycleKind, CycleReport, StoredCycleReport } from "./cycle-report.js";

const noListing = "the analyses listing is missing, so nothing is linked, archived or deleted this cycle";

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
  /** `plan --as-of` (dry runs only): ages, windows and holds are computed at this instant instead of now. */
  asOf?: Date;
  /** The CLI's stderr: live progress lines when it is a terminal. Without one, long steps log a line at least every 10 s. */
  progressStream?: ProgressOptions["stream"];
  /** Tests drive the heartbeat of long steps by hand. */
  progressRepeat?: ProgressOptions["repeat"];
  /** "delivery": the fast path of `watch` (see runCycle); default "full". */
  kind?: CycleKind;
  /** Told, once the cycle has listed and delivered, what it learned (the poll of `watch` keeps it). */
  onListed?: (facts: ListingFacts) => void;
  /** Tests use rounds of a few analyses to see a first cycle go round by round. */
  manageRoundSize?: number;
}


/**
 * One cycle for one source/destination pair, as named steps: resolve → listAnalyses (and the adoption guard) → requeue (with
 * `--requeue_failed`) → manageNew → classifyAged → icaLifecycle → basespaceLifecycle → record. Each
 * step plans, then acts unless this is a dry run. A failing item is reported and the rest goes on; a
 * step that fails as a whole is reported and the later steps that do not depend on it still run —
 * never a destructive one whose inputs could not be read. The listing step gathers the facts every
 * later step reads (ListedCycle), so the steps take only the cycle and their recorder. The report then
 * goes out as notifications and metrics, still under the lock. Takes the state lock itself: a held
 * lock gives outcome "skipped-locked".
 *
 * A "delivery" cycle (the fast path of `watch`) runs only what delivery needs — resolve (without the
 * BaseSpace token check), checkClock (no call of its own), listAnalyses with the adoption guard,
 * manageNew, record — on the same lock, journal and manageNew, so it keeps every guarantee of a
 * delivery (write-ahead journal, holds, redelivery requests); nothing is requeued, archived or deleted,
 * and its report says `kind: "delivery"`.
 */
export async function runCycle(settings: Settings, options: CycleOptions): Promise<CycleReport> {
  const clock = options.now ?? (() => new Date());
  const kind = options.kind ?? "full";
  const full = kind === "full";
  const startedAt = clock();
  const startedMs = performance.now();
  let opened;
  try {
    opened = await openCycle(settings, { ...options, now: startedAt, clock });
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    options.logger.warn(error.message);
    return lockedReport(settings, kind, startedAt, clock(), performance.now() - startedMs, error.message);
  }
  const { table } = opened;
  let ctx = opened.ctx;
  const run = new StepRun(ctx, options.signal);
  const publishing = { redactor: options.redactor, clock, signal: options.signal, ...(options.metrics ? { metrics: options.metrics } : {}) };
  try {
    ctx.logger.info(`${full ? "cycle" : "delivery cycle"} ${ctx.cycleId} started${ctx.dryRun ? " (dry run)" : ""}`);
    table.warnings.forEach((warning) => run.warn(warning));

    const projects = await run.step("resolve", null, (rec) => resolveProjects(ctx, rec, { basespace: full }), { fatal: cycleConfigurationErrors });
    // Ages are measured on the servers' clock from here on; a clock too far off retires nothing.
    const clockCheck = await run.stepOn("checkClock", projects, "the ICA projects could not be resolved", async (_resolved, rec) =>
      checkClock(ctx.stats.serverClock, { cycleNow: ctx.now, localNow: clock() }, rec),
    );
    if (clockCheck) ctx = { ...ctx, now: clockCheck.now };
    // After the clock check, which compares the real clocks; a dry run only, so nothing acts on a chosen date.
    if (options.asOf && ctx.dryRun) ctx = { ...ctx, now: options.asOf };
    // The adoption guard runs on the listing, before any step that changes something.
    const cycle = await run.stepOn(
      "listAnalyses",
      projects,
      "the ICA projects could not be resolved",
      async (resolved, rec) => adoptAnalyses(await listAnalyses(ctx, resolved, table.ids, rec), { path: settings.managedTablePath, ids: table.ids }, rec),
      { fatal: [AdoptionRequiredError] },
    );
    const requeue = full && settings.requeueFailed ? await run.stepOn("requeue", cycle, noListing, requeueFailed) : undefined;
    const manage = await run.stepOn("manageNew", cycle, noListing, manageNew);
    const lifecycle = full ? await runLifecycle(run, cycle, clockCheck?.trusted === true) : [];
    await run.step("record", null, async () => {
      await closeJournal(ctx);
      await ctx.warnings.save(() => ctx.actions?.assertLockHeld(), ctx.logger);
    });

    if (cycle) options.onListed?.(factsOf(cycle));
    // A delivery cycle lists no BaseSpace storage, so it reports none rather than a wrong figure.
    const storage = cycle && full ? storageUnderManagement(cycle.analyses, ctx.journal.data, cycle.basespaceStorage) : undefined;
    const frame = {
      kind,
      projects,
      plans: [requeue, manage, ...lifecycle],
      startedAt,
      finishedAt: clock(),
      durationMs: performance.now() - startedMs,
      ...(storage ? { storage } : {}),
      asOf: options.asOf !== undefined && ctx.dryRun,
    };
    const report = await recordReport(ctx, run, frame);
    const pending = cycle?.newAnalyses.pending ?? [];
    await publishCycle(ctx, report, pending, publishing);
    return report;
  } catch (error) {
    // A revoked key, a renamed project, a non-API server: the cycle still reports, alerts and counts, then ends (exit 2).
    if (run.fatal === error) {
      const frame = { kind, projects: undefined, plans: [], startedAt, finishedAt: clock(), durationMs: performance.now() - startedMs, endedByConfigurationError: true };
      await publishCycle(ctx, await recordReport(ctx, run, frame), [], publishing);
    }
    throw error;
  } finally {
    await opened.close();
  }
}

/** classifyAged, then the ICA and BaseSpace lifecycles (retiring only on a trusted clock): the full cycle's slow, destructive part. */
async function runLifecycle(run: StepRun, cycle: ListedCycle | undefined, clockTrusted: boolean): Promise<Array<StepPlan | undefined>> {
  await run.stepOn("classifyAged", cycle, noListing, classifyAged);
  const retirable = clockTrusted ? cycle : undefined;
  const notRetiring = cycle ? "the local clock could not be checked against the servers', so nothing is archived or deleted this cycle" : noListing;
  const ica = await run.stepOn("icaLifecycle", retirable, notRetiring, icaLifecycle);
  const basespace = await run.stepOn("basespaceLifecycle", retirable, notRetiring, basespaceLifecycle);
  if (retirable) reportUnmatchedProtect(retirable, retirable.analyses, (warning) => run.warn(warning));
  return [ica, basespace];
}

function factsOf(cycle: ListedCycle): ListingFacts {
  return listingFacts(cycle.projects.source.id, cycle.analyses, cycle.settings.bclConvertPattern, cycle.newAnalyses.pending);
}
