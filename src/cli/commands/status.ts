import { Command, Option } from "commander";
import { loadLocalSettings, type FlagInput } from "../../config/index.js";
import { renderCycleReport } from "../../orchestrator/index.js";
import type { CliContext } from "../cli-context.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { statusDocument, toJsonText } from "../output-document.js";
import { addOutputOptions, outputChoice } from "../output-options.js";
import { collectStatus, renderStatus } from "../status-report.js";

export function statusCommand(scope: CommandScope): Command {
  const command = new Command("status")
    .summary("managed analyses, pending work and the last cycle's report (no credentials needed)")
    .description(
      "Reads the state directory and the managed-analyses table, changes nothing and needs no key or token: " +
        "the analyses already handled, the work the journal says is in flight (linking, unarchive-then-delete, " +
        "BaseSpace restores, trash), and the last cycle's report. Accepts the same options as run, so the same " +
        "command line (or config file) finds the same state directory.",
    )
    .addOption(new Option("--json", "the same as --output json").hideHelp());
  addOutputOptions(command);
  addCycleOptions(command);
  withExamples(command, [
    ["the state next to the current directory (./.ica-orchestrator)", "ica-orchestrator status"],
    ["the container's state volume, for a script", "ica-orchestrator status --state_dir /var/lib/ica-orchestrator -o json"],
  ]);
  return command.action(async (own: { json?: boolean }) => {
    await printStatus(scope.context, cycleFlags(command), { json: own.json === true || outputChoice(command).format === "json" });
    scope.setExitCode(exitCodes.ok);
  });
}

/** Prints the status of the state directory the flags (and environment, config file) point at. */
export async function printStatus(context: CliContext, flags: FlagInput, options: { json: boolean }): Promise<void> {
  const local = await loadLocalSettings({ flags, env: context.env, homeDir: context.homeDir, cwd: context.cwd });
  const status = await collectStatus(local);
  context.stdout.write(options.json ? toJsonText(statusDocument(status)) : renderStatus(status, renderCycleReport));
}
