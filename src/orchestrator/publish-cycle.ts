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
  await notifyCycle(input, {
    settings: ctx.settings,
    logPath: notificationLogPath(ctx.paths),
    logger: ctx.logger,
    redactor: options.redactor,
    now: options.clock,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await options.metrics?.publish({ report, pending: pendingByKind(input.waiting) });
}
