import type { SecretRedactor } from "../logging/index.js";
import { pendingByKind, type MetricsExporter } from "../metrics/index.js";
import { configuredPair, notificationInputFrom, notifyCycle, type PendingAnalysis } from "../notify/index.js";
import { notificationLogPath } from "../state/index.js";
import type { CycleContext } from "./cycle-context.js";
import type { CycleReport } from "./cycle-report.js";

export interface PublishOptions {
  redactor: SecretRedactor;
  /** The cycle's clock: alert ages and the repeat limit are measured with it. */
  clock: () => Date;
  metrics?: MetricsExporter;
  /** SIGTERM/SIGINT: ends a notification being sent (each channel also has its own deadline). */
  signal?: AbortSignal;
}

/**
 * Analyses this cycle found with nothing to deliver: only a warning in the report (the cycle did its
 * job), but an alert the first time, so an analysis is never left unrecorded without anyone knowing.
 */
function newlyHeld(ctx: CycleContext): string[] {
  return Object.values(ctx.journal.data.undeliverable)
    .filter((entry) => entry.reason === "no-fastq" && Date.parse(entry.since) >= ctx.now.getTime())
    .map((entry) => entry.detail);
}

/**
 * Tells people and monitoring how the cycle went, before it releases the lock (the notification log
 * lives in the state directory): alerts for its errors and for work stuck past the thresholds, then
 * the metrics. Neither throws, and neither says anything for a dry run.
 */
export async function publishCycle(
  ctx: CycleContext,
  report: CycleReport,
  pending: readonly PendingAnalysis[],
  options: PublishOptions,
): Promise<void> {
  const input = { ...notificationInputFrom(report, ctx.journal.data, pending), pair: configuredPair(ctx.settings.source, ctx.settings.destination) };
  await notifyCycle({ ...input, held: newlyHeld(ctx), contradictions: ctx.ledger.newlyContradicted() }, {
    settings: ctx.settings,
    logPath: notificationLogPath(ctx.paths),
    logger: ctx.logger,
    redactor: options.redactor,
    now: options.clock,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await options.metrics?.publish({ report, pending: pendingByKind(input.waiting) });
}
