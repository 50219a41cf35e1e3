import type { Logger } from "winston";
import type { LocalSettings } from "../config/index.js";
import { MetricsExporter } from "../metrics/index.js";
import { markReported } from "./errors.js";

export interface CliMetricsOptions {
  /** `watch`: also serve /metrics on metrics_port; a single `run` only writes the file. */
  serve: boolean;
  logger: Logger;
}

/**
 * The one metrics exporter of a process, shared by every cycle it runs (all pairs: metrics_file and
 * metrics_port are top-level settings). None when neither is set, or when every cycle is a dry run,
 * which publishes nothing. Settings read later (watch reloads them every cycle) do not move it. Throws
 * MetricsServeError, logged, when the port cannot be listened on.
 */
export async function openMetrics(local: readonly LocalSettings[], options: CliMetricsOptions): Promise<MetricsExporter | undefined> {
  const shared = local[0];
  if (!shared || local.every((pair) => pair.dryRun)) return undefined;
  const port = options.serve ? shared.metricsPort : undefined;
  if (shared.metricsFile === undefined && port === undefined) return undefined;
  let exporter: MetricsExporter;
  try {
    exporter = await MetricsExporter.start({
      logger: options.logger,
      ...(shared.metricsFile !== undefined ? { file: shared.metricsFile } : {}),
      ...(port !== undefined ? { port, host: shared.metricsHost } : {}),
    });
  } catch (error) {
    // Into the log file too, where a container operator looks first.
    options.logger.error((error as Error).message);
    markReported(error);
    throw error;
  }
  if (exporter.url !== undefined) options.logger.info(`serving metrics at ${exporter.url}`);
  return exporter;
}
