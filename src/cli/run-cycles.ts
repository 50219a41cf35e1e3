import { ConfigError, loadSettings, pairLabel, settingsSecrets, sourcesLines, type FlagInput, type Settings } from "../config/index.js";
import type { MetricsExporter } from "../metrics/index.js";
import type { ListingFacts } from "../modules/monitor/index.js";
import { renderCycleReport, renderPlanTable, runCycle, type CycleKind, type CycleReport } from "../orchestrator/index.js";
import type { CliLogging } from "./cli-logging.js";
import type { CommandScope } from "./command-scope.js";
import { publishConfigFailure } from "./config-failure.js";
import { exitCodes, markReported, type ExitCode } from "./errors.js";
import type { OutputChoice } from "./output-options.js";

/**
 * What `watch` keeps between cycles: the settings that last loaded, to alert with when the configuration
 * breaks, and each pair's last listing (by pairLabel), which its poll compares with.
 */
export interface WatchMemory {
  lastLoaded: Settings[];
  listings: Map<string, ListingFacts>;
}

/** A cycle of `watch`: its kind, and the memory it updates. */
export interface WatchCycle {
  memory: WatchMemory;
  kind: CycleKind;
}

export interface RunCyclesResult {
  code: ExitCode;
  reports: CycleReport[];
}

/**
 * Loads the settings (one per configured pair) and runs one cycle for each, in turn, printing the
 * plan table (a dry run, which always exits 0) or the cycle report to stdout. A held lock skips the
 * rest with one line (exit 0: the running cycle does the work); `signal` (SIGTERM/SIGINT) stops
 * after the current step. Every cycle publishes to the process' `metrics`, if any. Under `watch`
 * (`watching`), a configuration that no longer loads is alerted and counted too (publishConfigFailure),
 * the cycles are of the kind asked for, and each pair's listing is remembered for the poll.
 */
export async function runCycles(
  scope: CommandScope,
  flags: FlagInput,
  logging: CliLogging,
  signal: AbortSignal,
  metrics?: MetricsExporter,
  watching?: WatchCycle,
  output: OutputChoice = { format: "table", verbose: false },
): Promise<RunCyclesResult> {
  const { context, redactor } = scope;
  const { logger } = logging;
  const reports: CycleReport[] = [];
  let code: ExitCode = exitCodes.ok;
  try {
    const loaded = await loadSettings({ flags, env: context.env, homeDir: context.homeDir, cwd: context.cwd }).catch(async (error: unknown) => {
      if (watching && error instanceof ConfigError) {
        await publishConfigFailure(error, watching.memory.lastLoaded, { logger, redactor, ...(metrics ? { metrics } : {}) });
      }
      throw error;
    });
    if (watching) watching.memory.lastLoaded = loaded.settings;
    loaded.warnings.forEach((warning) => logger.warn(warning));
    loaded.overrides.forEach((warning) => logging.logOnce("warn", warning));
    loaded.sources.forEach((sources) => sourcesLines(sources).forEach((line) => logging.logOnce("debug", line)));
    for (const settings of loaded.settings) settingsSecrets(settings).forEach((secret) => redactor.add(secret));
    for (const settings of loaded.settings) {
      const table = output.format === "table";
      if (table && loaded.settings.length > 1) context.stdout.write(`\n== ${pairLabel(settings)} ==\n`);
      const report = await runCycle(settings, {
        logger,
        redactor,
        signal,
        progressStream: context.stderr,
        ...(metrics ? { metrics } : {}),
        ...(output.asOf ? { asOf: output.asOf } : {}),
        ...(watching ? { kind: watching.kind, onListed: (facts: ListingFacts) => watching.memory.listings.set(pairLabel(settings), facts) } : {}),
      });
      reports.push(report);
      // The cycle has logged the one line saying who holds the lock; the other pairs share it.
      if (report.outcome === "skipped-locked") break;
      if (table) context.stdout.write(settings.dryRun ? renderDryRun(report, output.verbose) : renderCycleReport(report));
      // A dry run that could not read everything has an incomplete plan, not an empty one: exit 1 too.
      if (report.outcome === "failures") code = exitCodes.failures;
      if (report.outcome === "aborted") {
        logger.info("stopped on request; the next cycle resumes from the journal");
        break;
      }
    }
  } catch (error) {
    // Into the log file too, where a cron or container operator looks first.
    logger.error(error instanceof Error ? error.message : String(error));
    markReported(error);
    throw error;
  }
  return { code, reports };
}

/** The plan table, and when the cycle failed to read something, that the plan is incomplete and why. */
function renderDryRun(report: CycleReport, verbose: boolean): string {
  const plan = renderPlanTable(report.plan, { verbose, source: report.source, destination: report.destination });
  if (report.outcome !== "failures") return plan;
  const shown = verbose ? report.errors : report.errors.slice(0, 5);
  const more = report.errors.length - shown.length;
  return [
    plan.trimEnd(),
    "",
    `INCOMPLETE PLAN: ${report.errors.length} error(s) kept the cycle from reading what it needs; what it could not read is not planned:`,
    ...shown.map((error) => `  - ${error}`),
    ...(more > 0 ? [`  … and ${more} more (--verbose, or -o json)`] : []),
    "",
  ].join("\n");
}
