import { Command } from "commander";
import type { FlagInput } from "../../config/index.js";
import { shutdownSignal } from "../cli-context.js";
import { openLogging } from "../cli-logging.js";
import { openMetrics } from "../cli-metrics.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { withExamples } from "../examples.js";
import { cyclesDocument, toJsonText } from "../output-document.js";
import { addOutputOptions, outputChoice, writeReportFile, type OutputChoice } from "../output-options.js";
import { runCycles, type RunCyclesResult } from "../run-cycles.js";

export interface CycleCommandOptions {
  /** `plan`: a dry run whatever the settings say. */
  forceDryRun: boolean;
  /** Tables when absent (the demo). */
  output?: OutputChoice;
}

/**
 * `run` and `plan`: open the log, run the configured cycles, and on SIGTERM/SIGINT let the current
 * step finish (the cycle persists its progress and releases the lock) before returning.
 */
export async function cycleCommand(scope: CommandScope, flags: FlagInput, options: CycleCommandOptions): Promise<RunCyclesResult> {
  const effective = options.forceDryRun ? { ...flags, dry_run: true } : flags;
  const logging = await openLogging(scope.context, effective, scope.redactor);
  try {
    const metrics = await openMetrics(logging.local, { serve: false, logger: logging.logger });
    const shutdown = shutdownSignal(scope.context, logging.logger);
    try {
      const result = await runCycles(scope, effective, logging, shutdown.signal, metrics, undefined, options.output);
      await printDocument(scope, options, result);
      return result;
    } finally {
      shutdown.dispose();
      await metrics?.close();
    }
  } finally {
    await logging.close();
  }
}

/** `-o json` on stdout and `--report FILE`: one document for every pair's cycle. */
async function printDocument(scope: CommandScope, options: CycleCommandOptions, result: RunCyclesResult): Promise<void> {
  if (options.output === undefined) return;
  const { format, reportFile } = options.output;
  if (format !== "json" && reportFile === undefined) return;
  const text = toJsonText(cyclesDocument(options.forceDryRun ? "plan" : "run", result.reports));
  if (format === "json") scope.context.stdout.write(text);
  if (reportFile !== undefined) await writeReportFile(scope.context.cwd, reportFile, text);
}

export function runCommand(scope: CommandScope): Command {
  const command = new Command("run")
    .summary("one housekeeping cycle (the default command)")
    .description(
      "One cycle: link the FASTQs of new BCLConvert analyses into the destination project and upload their " +
        "manifests, then archive and delete data past --days_to_archive / --days_to_delete in ICA and BaseSpace. " +
        "Exit status: 0 done (or skipped: another cycle holds the lock), 1 finished with failures, 2 usage or " +
        "configuration error.",
    );
  addCycleOptions(command);
  addOutputOptions(command, { cycles: true });
  withExamples(command, [
    ["the original tool's flags work unchanged", "ica-orchestrator run --api_key_file ~/.ica_key --source_project_name BSSH_Runs --destination_project_name MGI_Delivery"],
    ["see what it would do first: nothing is changed", "ica-orchestrator run --dry_run --config lab.json"],
    ["settings from a config file, logs as JSON lines", "ica-orchestrator run --config /etc/ica-orchestrator/config.json --log_format json"],
    ["relaunch failed BCLConvert runs once, metrics for node_exporter", "ica-orchestrator run --config lab.json --requeue_failed --metrics_file /var/lib/node_exporter/textfile_collector/ica_orchestrator.prom"],
  ]);
  return command.action(async () =>
    scope.setExitCode((await cycleCommand(scope, cycleFlags(command), { forceDryRun: false, output: outputChoice(command) })).code),
  );
}
