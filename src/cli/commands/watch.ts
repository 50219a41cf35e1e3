import { Command } from "commander";
import cron, { type Logger as CronLogger } from "node-cron";
import type { Logger } from "winston";
import { ConfigError, type FlagInput } from "../../config/index.js";
import type { MetricsExporter } from "../../metrics/index.js";
import { shutdownSignal } from "../cli-context.js";
import { openLogging, type CliLogging } from "../cli-logging.js";
import { openMetrics } from "../cli-metrics.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { errorOutcome, exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { runCycles, type WatchMemory } from "../run-cycles.js";

const defaultSchedule = "*/10 * * * *";

interface WatchFlags {
  schedule: string;
}

/** node-cron's own messages (e.g. a tick missed while the event loop was busy) go to our log. */
function cronLogger(logger: Logger): CronLogger {
  const log = logger.child({ scope: "schedule" });
  const text = (message: string | Error): string => (message instanceof Error ? message.message : message);
  return {
    info: (message) => log.debug(message),
    debug: (message) => log.debug(text(message)),
    warn: (message) => log.warn(message),
    error: (message) => log.error(text(message)),
  };
}

function validSchedule(schedule: string): string {
  const check = cron.validateDetailed(schedule);
  if (check.valid) return schedule;
  const reasons = check.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  throw new ConfigError(`--schedule "${schedule}" is not a cron expression (${reasons}): e.g. --schedule "${defaultSchedule}"`);
}

/**
 * Runs a cycle now and then on the cron schedule until SIGTERM/SIGINT. Never two cycles at once: a
 * tick that comes while a cycle runs is skipped with a log line (across processes, the state lock
 * does the same). On a shutdown request the running cycle finishes its current step, persists its
 * progress and releases the lock; then watch exits 0. Settings are reloaded for every cycle, so a
 * rotated key or an edited config file takes effect at the next tick; a configuration error in the
 * first cycle ends watch (exit 2), a later one is logged, alerted (with the notification settings that
 * last loaded) and counted, and retried at the next tick. The metrics
 * exporter (and its /metrics port) is opened once, before the first cycle.
 */
async function watch(scope: CommandScope, flags: FlagInput, logging: CliLogging, schedule: string, metrics: MetricsExporter | undefined): Promise<void> {
  const { logger } = logging;
  const shutdown = shutdownSignal(scope.context, logger);
  const stopped = new Promise<void>((resolve) => shutdown.signal.addEventListener("abort", () => resolve(), { once: true }));
  const task = cron.createTask(schedule, () => tick(), { name: "ica-orchestrator", logger: cronLogger(logger) });
  let running: Promise<void> | undefined;
  let first = true;
  const memory: WatchMemory = { lastLoaded: [] };

  const cycle = async (): Promise<void> => {
    try {
      await runCycles(scope, flags, logging, shutdown.signal, metrics, memory);
    } catch (error) {
      // The first cycle proves the configuration; after that, keep watching.
      if (first && errorOutcome(error).code === exitCodes.usage) throw error;
    } finally {
      first = false;
    }
  };
  const announceNext = (): void => {
    const next = task.getNextRun();
    if (!shutdown.signal.aborted && next) logger.info(`next cycle at ${next.toISOString()} (schedule "${schedule}")`);
  };
  const tick = (): void => {
    if (running) {
      logger.info("the previous cycle is still running: skipping this tick");
      return;
    }
    running = cycle()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        announceNext();
      });
  };

  try {
    logger.info(`watching: a cycle now, then on the schedule "${schedule}"; SIGTERM or SIGINT stops after the current step`);
    await cycle();
    if (!shutdown.signal.aborted) {
      await task.start();
      announceNext();
      await stopped;
    }
  } finally {
    await task.destroy();
    await running;
    shutdown.dispose();
  }
  logger.info("watch stopped");
}

export function watchCommand(scope: CommandScope): Command {
  const command = new Command("watch")
    .summary("run cycles on a schedule until stopped (the container's default)")
    .description(
      "Runs a cycle now, then on a cron schedule (default every 10 minutes), never two at once. SIGTERM or " +
        "SIGINT lets the current step finish, saves progress, releases the lock and exits 0; SIGHUP is ignored " +
        "with a log line (settings are read again before every cycle anyway).",
    )
    .option("--schedule <cron>", "cron expression (5 fields, or 6 with seconds first)", defaultSchedule);
  addCycleOptions(command);
  withExamples(command, [
    ["every 10 minutes with a config file", "ica-orchestrator watch --config /etc/ica-orchestrator/config.json"],
    ["hourly, at minute 5", 'ica-orchestrator watch --schedule "5 * * * *" --config lab.json'],
    ["with Prometheus metrics at http://<host>:9464/metrics", "ica-orchestrator watch --config lab.json --metrics_port 9464"],
  ]);
  return command.action(async (own: WatchFlags) => {
    const schedule = validSchedule(own.schedule);
    const flags = cycleFlags(command);
    const logging = await openLogging(scope.context, flags, scope.redactor);
    try {
      const metrics = await openMetrics(logging.local, { serve: true, logger: logging.logger });
      try {
        await watch(scope, flags, logging, schedule, metrics);
      } finally {
        await metrics?.close();
      }
    } finally {
      await logging.close();
    }
    scope.setExitCode(exitCodes.ok);
  });
}
