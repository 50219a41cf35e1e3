import { Command } from "commander";
import cron, { type Logger as CronLogger } from "node-cron";
import type { Logger } from "winston";
import { ConfigError, type FlagInput } from "../../config/index.js";
import type { MetricsExporter } from "../../metrics/index.js";
import { PollSource, type TriggerSource } from "../../modules/monitor/index.js";
import type { CycleKind } from "../../orchestrator/index.js";
import { shutdownSignal } from "../cli-context.js";
import { openLogging, type CliLogging } from "../cli-logging.js";
import { openMetrics } from "../cli-metrics.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { errorOutcome, exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { CycleQueue } from "../cycle-queue.js";
import { eventSourceOf, pollLook } from "../fast-path.js";
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
 * Runs a full cycle now and then on the cron schedule until SIGTERM/SIGINT, and between them the fast
 * path: every `poll_seconds` a look for SUCCEEDED BCLConvert analyses the last listing had not seen
 * ended, and a delivery-only cycle for them at once (`0` turns the poll off). The trigger sources are a
 * list: the poll, and with `events` the ICA event source beside it (the poll stays as the backstop for
 * lost events; its idle cost is one call). A trigger only starts a delivery cycle, which lists the
 * analyses from the API itself; it is settled once that cycle ends. Never two cycles at once
 * (CycleQueue; across processes the state lock): a cycle asked for while another runs starts when it
 * ends. On a shutdown request the running cycle finishes its current step, persists its progress and
 * releases the lock; then watch exits 0. Settings are reloaded for every cycle, so a rotated key or an
 * edited config file takes effect at the next one; a configuration error in the first cycle ends watch
 * (exit 2), a later one is logged, alerted (with the notification settings that last loaded) and
 * counted, and retried at the next tick. The metrics exporter (and its /metrics port) is opened once,
 * before the first cycle.
 */
async function watch(scope: CommandScope, flags: FlagInput, logging: CliLogging, schedule: string, metrics: MetricsExporter | undefined): Promise<void> {
  const { logger } = logging;
  const shutdown = shutdownSignal(scope.context, logger);
  const stopped = new Promise<void>((resolve) => shutdown.signal.addEventListener("abort", () => resolve(), { once: true }));
  let first = true;
  const memory: WatchMemory = { lastLoaded: [], listings: new Map() };

  const cycle = async (kind: CycleKind): Promise<"handled" | "retry"> => {
    try {
      const { code, reports } = await runCycles(scope, flags, logging, shutdown.signal, metrics, { memory, kind });
      // A cycle another process' lock kept from running delivered nothing: its triggers are not done.
      return code === exitCodes.ok && reports.every((r) => r.outcome === "ok") ? "handled" : "retry";
    } catch (error) {
      // The first cycle proves the configuration; after that, keep watching.
      if (first && errorOutcome(error).code === exitCodes.usage) throw error;
      return "retry";
    } finally {
      first = false;
    }
  };
  const task = cron.createTask(schedule, () => queue.requestFull(), { name: "ica-orchestrator", logger: cronLogger(logger) });
  const announceNext = (): void => {
    const next = task.getNextRun();
    if (!shutdown.signal.aborted && next) logger.info(`next cycle at ${next.toISOString()} (schedule "${schedule}")`);
  };
  // Watch-wide settings, read once (like metrics_port): the first pair's values hold for all.
  const pollSeconds = logging.local[0]?.pollSeconds ?? 0;
  const minDeliveryIntervalMs = (logging.local[0]?.minDeliveryIntervalSeconds ?? 0) * 1000;
  const queue = new CycleQueue(
    async (kind) => {
      const outcome = await cycle(kind);
      if (kind === "full") announceNext();
      return outcome;
    },
    logger,
    { minDeliveryIntervalMs },
  );
  const sources: TriggerSource[] =
    pollSeconds > 0
      ? [new PollSource({ intervalMs: pollSeconds * 1000, look: pollLook(memory), onError: (error) => logger.warn(`poll: ${errorMessage(error)}; looking again in ${pollSeconds} s`) })]
      : [];
  const closeSources = () => Promise.all(sources.map((source) => source.close()));

  try {
    const fastPath = pollSeconds > 0 ? `, new analyses looked for every ${pollSeconds} s and delivered at once` : " (poll_seconds 0: no fast path)";
    logger.info(`watching: a cycle now, then on the schedule "${schedule}"${fastPath}; SIGTERM or SIGINT stops after the current step`);
    await cycle("full");
    if (!shutdown.signal.aborted) {
      // The events setting is known once the first cycle has loaded the settings; the poll stays beside it as the backstop.
      const events = await eventSourceOf(memory, logger);
      if (events) {
        sources.push(events);
        logger.info(`events: ${events.name} events trigger a delivery cycle at once${pollSeconds > 0 ? `; the poll every ${pollSeconds} s stays the backstop` : " (poll_seconds 0: no backstop but the schedule)"}`);
      }
      await task.start();
      announceNext();
      const consuming = sources.map((source) => consume(source, queue, shutdown.signal, logger));
      await stopped;
      await closeSources();
      await Promise.all(consuming);
    }
  } finally {
    await task.destroy();
    await closeSources();
    await queue.close();
    shutdown.dispose();
  }
  logger.info("watch stopped");
}

/** Hands every trigger of `source` to the queue until shutdown; a source that breaks is logged, and the schedule goes on. */
async function consume(source: TriggerSource, queue: CycleQueue, signal: AbortSignal, logger: Logger): Promise<void> {
  try {
    for await (const trigger of source.triggers(signal)) {
      const named = trigger.analysisIds.length > 0 ? `${trigger.analysisIds.length} analysis(es) to deliver (${trigger.analysisIds.slice(0, 3).join(", ")}${trigger.analysisIds.length > 3 ? ", …" : ""})` : "a look asked for";
      logger.info(`${source.name}: ${named}: a delivery cycle now`);
      queue.requestDelivery(trigger);
    }
  } catch (error) {
    logger.error(`the ${source.name} trigger source stopped (${errorMessage(error)}): deliveries wait for the schedule`);
  }
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function watchCommand(scope: CommandScope): Command {
  const command = new Command("watch")
    .summary("run cycles on a schedule, and deliver new analyses as they finish, until stopped (the container's default)")
    .description(
      "Runs a cycle now, then on a cron schedule (default every 10 minutes), never two at once. Between them, " +
        "every --poll_seconds (default 30; 0 turns it off) it looks for new SUCCEEDED BCLConvert analyses (one API " +
        "call when nothing is new) and delivers them at once in a delivery-only cycle (no archive, no delete). With " +
        "--events (sqs://<queue-url> or http://host:port/path; `subscribe` sets ICA up) an ICA analysis event starts that " +
        "delivery cycle within seconds, the analysis re-read from the API first; the poll stays as the backstop. SIGTERM or " +
        "SIGINT lets the current step finish, saves progress, releases the lock and exits 0; SIGHUP is ignored " +
        "with a log line (settings are read again before every cycle anyway).",
    )
    .option("--schedule <cron>", "cron expression (5 fields, or 6 with seconds first)", defaultSchedule);
  addCycleOptions(command);
  withExamples(command, [
    ["every 10 minutes with a config file", "ica-orchestrator watch --config /etc/ica-orchestrator/config.json"],
    ["hourly, at minute 5", 'ica-orchestrator watch --schedule "5 * * * *" --config lab.json'],
    ["look for new analyses every 10 s (deliveries within seconds)", "ica-orchestrator watch --config lab.json --poll_seconds 10"],
    ["deliver on ICA's events from an SQS queue (after `subscribe` with the same --events)", "ica-orchestrator watch --config lab.json --events sqs://https://sqs.eu-central-1.amazonaws.com/123456789012/ica-events"],
    ["receive ICA's HTTP events on port 8080 behind a TLS proxy", "ica-orchestrator watch --config lab.json --events http://0.0.0.0:8080/ica-events --events_address https://lab.example.org/ica-events"],
    ["no fast path: deliver on the schedule only", "ica-orchestrator watch --config lab.json --poll_seconds 0"],
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
