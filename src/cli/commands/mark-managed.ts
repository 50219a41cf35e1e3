import { Command } from "commander";
import { loadLocalSettings } from "../../config/index.js";
import {
  addManagedRows,
  AuditLog,
  ensureStateDir,
  ManagedTableError,
  openJournal,
  unknownRunId,
  type JournalData,
} from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { assertAnalysisId, operatorLock } from "../operator-decision.js";

/**
 * `mark-managed <analysis>`: an operator's decision that an analysis needs no (further) delivery —
 * no MGI FASTQ, a FASTQ gone from the source, or an old analysis adopted by hand. It replaces
 * hand-editing the table: the row is appended under the state lock and the journal forgets the hold.
 */
export function markManagedCommand(scope: CommandScope): Command {
  const command = new Command("mark-managed")
    .argument("<analysis>", "the ICA analysis id")
    .option("--run_id <reference>", "the run id for the table (default: the one the journal knows)")
    .summary("record an analysis as managed without delivering it (an operator's decision)")
    .description(
      "Appends `analysis_id,run_id` to the managed table and releases the analysis from the journal's holds, " +
        "under the state lock, so a running cycle is never raced. Its data then ages out like any managed " +
        "analysis. Needs no credentials. Exit status: 0 recorded (or already recorded), 2 a bad analysis id or a cycle holding the lock.",
    );
  addCycleOptions(command);
  withExamples(command, [
    ["an analysis held for having no MGI FASTQ", "ica-orchestrator mark-managed 0f6f2a55-8c1e-4d7a-9a43-3c3d9b8f1e20 --config lab.json"],
  ]);
  return command.action(async (analysisId: string, own: { run_id?: string }) => {
    assertAnalysisId("mark-managed", analysisId);
    const { context } = scope;
    const pairs = await loadLocalSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    const tables = new Set(pairs.map((pair) => pair.managedTablePath));
    const [local] = pairs;
    if (!local || tables.size > 1) {
      throw new ManagedTableError(`mark-managed: the configuration names ${tables.size} managed tables; pass --analyses_managed_table to say which one`);
    }
    const paths = await ensureStateDir(local.stateDir);
    const lock = await operatorLock("mark-managed", paths.root);
    try {
      const fence = () => lock.assertHeld();
      const journal = await openJournal(paths.journal, { cyclesPath: paths.cycles, fence });
      const runId = own.run_id ?? knownRunId(journal.data, analysisId) ?? unknownRunId;
      const added = await addManagedRows(local.managedTablePath, [{ analysisId, runId }], { fence });
      journal.releaseUndeliverable(analysisId);
      journal.finishManaging(analysisId);
      // The operator's last word: recorded as it is, not delivered (again).
      journal.finishRedelivery(analysisId);
      await journal.save();
      if (added.length > 0) await new AuditLog(paths.audit, { cycleId: "mark-managed", fence }).append({ action: "mark-managed", targets: { ids: [analysisId] }, result: "ok" });
      context.stdout.write(
        added.length > 0 ? `${analysisId},${runId} recorded in ${local.managedTablePath}\n` : `${analysisId} is already in ${local.managedTablePath}\n`,
      );
    } finally {
      await lock.release();
    }
    scope.setExitCode(exitCodes.ok);
  });
}

function knownRunId(journal: JournalData, analysisId: string): string | undefined {
  return journal.undeliverable[analysisId]?.runId ?? journal.managing[analysisId]?.runId ?? journal.delivered[analysisId]?.runId;
}
