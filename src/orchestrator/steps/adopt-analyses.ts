import { ConfigError } from "../../config/index.js";
import { addManagedRows } from "../../state/index.js";
import { listedCycle, type ListedCycle } from "../cycle-facts.js";
import { describeOld, planAdoption } from "../plan/adoption.js";
import type { StepRecorder } from "../step-recorder.js";
import { idsField } from "../warning-gate.js";

/** The adoption guard refused the cycle: a configuration decision is missing, so the CLI exits 2. */
export class AdoptionRequiredError extends ConfigError {
  override name = "AdoptionRequiredError";
}

/**
 * The adoption guard, right after the listing and before any step that changes something: with an
 * empty or missing managed table and SUCCEEDED BCLConvert analyses older than days_to_archive, the
 * cycle refuses (AdoptionRequiredError) unless `--adopt` says what to do. `record` appends the old
 * analyses to the table without delivering them (not in a dry run; the plan treats them as recorded)
 * and returns the cycle's facts with them managed; `deliver` leaves them new, so manageNew delivers
 * them and min_days_after_delivery keeps their data.
 */
export async function adoptAnalyses(cycle: ListedCycle, table: { path: string; ids: ReadonlySet<string> }, rec: StepRecorder): Promise<ListedCycle> {
  const plan = planAdoption({
    tableRows: table.ids.size,
    candidates: cycle.newAnalyses.toManage.map(({ analysis }) => analysis),
    mode: cycle.settings.adopt,
    windows: cycle.windows,
    now: cycle.now,
  });
  if (plan.kind === "none") return cycle;
  const names = describeOld(plan.old);
  const threshold = cycle.windows.daysToArchive === null ? `days_to_delete (${cycle.windows.daysToDelete})` : `days_to_archive (${cycle.windows.daysToArchive})`;
  if (plan.kind === "refuse") {
    throw new AdoptionRequiredError(
      `the managed table ${table.path} is missing or empty, but the source project holds ${plan.old.length} SUCCEEDED BCLConvert ` +
        `analyses older than ${threshold}: ${names}. Nothing was done. Point --analyses_managed_table at the old tool's table, ` +
        `or adopt them with --adopt record (recorded as managed without delivering them) or --adopt deliver (delivered, then kept min_days_after_delivery)`,
    );
  }
  rec.count("adopted", plan.old.length);
  if (plan.kind === "deliver") {
    rec.logger.info(`--adopt deliver: ${plan.old.length} analyses older than ${threshold} are delivered as new; each is in ${cycle.warnings.reportHint}`, idsField(plan.old.map((analysis) => analysis.id)));
    return cycle;
  }
  const verb = cycle.dryRun ? "would be recorded" : "recorded";
  if (!cycle.dryRun) {
    const rows = plan.old.map((analysis) => ({ analysisId: analysis.id, runId: analysis.reference }));
    await addManagedRows(table.path, rows, { fence: () => cycle.actions?.assertLockHeld() });
  }
  rec.logger.info(`--adopt record: ${plan.old.length} analyses older than ${threshold} ${verb} as managed without delivery in ${table.path}`, idsField(plan.old.map((analysis) => analysis.id)));
  const managed = new Set([...table.ids, ...plan.old.map((analysis) => analysis.id)]);
  return listedCycle(cycle, cycle.projects, cycle.analyses, managed);
}
