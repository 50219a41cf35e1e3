import type { Logger } from "winston";
import type { ProjectRef, Settings } from "../config/index.js";
import type { SecretRedactor } from "../logging/index.js";
import type { MetricsExporter } from "../metrics/index.js";
import { configuredPair, notifyCycle, type NotificationInput } from "../notify/index.js";
import { notificationLogPath, statePaths } from "../state/index.js";

export interface ConfigFailureOptions {
  logger: Logger;
  redactor: SecretRedactor;
  metrics?: MetricsExporter;
  now?: () => Date;
}

/**
 * `watch` found its configuration broken at a later tick (an edited config file, a rotated secret file
 * gone): nothing runs, so no cycle reports it. It is alerted and counted like a failed cycle of every
 * pair, with the notification settings of the last configuration that loaded — the broken one cannot
 * say where to send anything. Never throws.
 */
export async function publishConfigFailure(error: Error, lastLoaded: readonly Settings[], options: ConfigFailureOptions): Promise<void> {
  const at = (options.now ?? (() => new Date()))();
  const message = `configuration not loaded: ${error.message}; no cycle runs until it is fixed`;
  for (const settings of lastLoaded) {
    if (settings.dryRun) continue;
    const source = projectOf(settings.source);
    const destination = projectOf(settings.destination);
    const input: NotificationInput = {
      cycleId: `config-${at.toISOString()}`,
      outcome: "failures",
      dryRun: false,
      finishedAt: at.toISOString(),
      source,
      destination,
      pair: configuredPair(settings.source, settings.destination),
      errors: [message],
      failures: [{ message, kind: error.name, object: "configuration" }],
      counts: {},
      waiting: [],
    };
    await notifyCycle(input, {
      settings,
      logPath: notificationLogPath(statePaths(settings.stateDir)),
      logger: options.logger,
      redactor: options.redactor,
      now: () => at,
    });
    const report = { ...input, durationMs: 0, warnings: [], steps: [], actions: [], apiCalls: { total: 0, byRoute: {} } };
    await options.metrics?.publish({ report, pending: {} });
  }
}

function projectOf(ref: ProjectRef): { id: string; name: string } {
  return "id" in ref ? { id: ref.id, name: "" } : { id: "", name: ref.name };
}
