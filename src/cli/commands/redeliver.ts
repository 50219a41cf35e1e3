import { Command } from "commander";
import { loadLocalSettings } from "../../config/index.js";
import { AuditLog, ensureStateDir, openJournal } from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { assertAnalysisId, operatorLock } from "../operator-decision.js";

/**
 * `redeliver <analysis>`: an operator's request that the next cycle deliver an analysis again — a
 * delivered one whose recipient lost files, a later SUCCEEDED analysis of a run that was superseded,
 * or one held because a selected FASTQ vanished (it then delivers what remains). The request is only
 * recorded here (journal and audit log, under the state lock); the cycle does the work and clears it.
 */
export function redeliverCommand(scope: CommandScope): Command {
  const command = new Command("redeliver")
    .argument("<analysis>", "the ICA analysis id")
    .summary("deliver an analysis again on the next cycle (also a superseded or held one)")
    .description(
      "Records the request in the journal, under the state lock, and in the audit log. The next cycle (run or " +
        "watch; plan shows it) delivers the analysis even if it is in the managed table, in place of any other " +
        "analysis of its run: it links only the FASTQs the destination does not hold yet, uploads a manifest " +
        "of its own (<run>.redelivery-<n>.download_manifest.csv once the run has a manifest, so nothing " +
        "already uploaded is replaced), appends a table row only if there is none, restarts " +
        "min_days_after_delivery and clears the request. A held analysis whose FASTQs vanished is delivered " +
        "with what remains (the cycle names what is left out). A failed delivery keeps the request for the " +
        "next cycle. Needs no credentials. Exit status: 0 recorded (or already pending), 2 a bad analysis id " +
        "or a cycle holding the lock.",
    );
  addCycleOptions(command);
  withExamples(command, [
    ["a run whose recipient lost the files, or a relaunch that should replace the first delivery", "ica-orchestrator redeliver 0f6f2a55-8c1e-4d7a-9a43-3c3d9b8f1e20 --config lab.json"],
  ]);
  return command.action(async (analysisId: string) => {
    assertAnalysisId("redeliver", analysisId);
    const { context } = scope;
    const [local] = await loadLocalSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    const { stateDir } = local as NonNullable<typeof local>;
    const paths = await ensureStateDir(stateDir);
    const lock = await operatorLock("redeliver", paths.root);
    try {
      const fence = () => lock.assertHeld();
      const journal = await openJournal(paths.journal, { cyclesPath: paths.cycles, fence });
      const added = journal.requestRedelivery(analysisId);
      await journal.save();
      if (added) await new AuditLog(paths.audit, { cycleId: "redeliver", fence }).append({ action: "redeliver", targets: { ids: [analysisId] }, result: "ok" });
      const since = added ? "" : ` (pending since ${journal.data.redeliveries[analysisId]?.requestedAt ?? "before"})`;
      context.stdout.write(
        `redelivery of ${analysisId} requested${since}: the next cycle delivers it again — only the FASTQs the destination lacks are linked, ` +
          `a manifest of its own is uploaded (<run>.redelivery-<n>.download_manifest.csv), and the request is cleared once verified; ` +
          `\`ica-orchestrator plan\` shows it\n`,
      );
    } finally {
      await lock.release();
    }
    scope.setExitCode(exitCodes.ok);
  });
}
