import type { IcaAnalysis } from "../../ica/schemas.js";
import { analysisStateOf } from "../../modules/monitor/analysis-state.js";
import { isBclConvert } from "../../modules/monitor/bcl-convert.js";
import { runFolderFromReference } from "./run-folder.js";
import type { UserPattern } from "../../config/user-pattern.js";

/**
 * Which other BCLConvert analyses stand for the same sequencing run as a failed one, so that a requeue
 * never launches a run that someone — a person or this tool — has already started again. Pure: the
 * listing says the run folder (the reference's prefix); input ids need a read per analysis, which the
 * launch module does for the few analyses `inputCheckCandidates` names.
 */
export type RunAnalysis = Pick<IcaAnalysis, "id" | "reference" | "status" | "pipeline" | "timeCreated">;

/** Queued, running, SUCCEEDED — or a status added after this code, which may well be running. */
function isLiveOrDone(status: string): boolean {
  return analysisStateOf(status) !== "failed";
}

/** The run folder of an analysis, from its reference; null when the reference has another shape (a hand-named relaunch). */
export const runFolderOf = (analysis: Pick<RunAnalysis, "reference">): string | null => runFolderFromReference(analysis.reference);

/**
 * Another BCLConvert analysis of the original's run folder that is queued, running or SUCCEEDED,
 * whatever its user reference; the oldest such one, so reports name the same one every cycle.
 */
export function sameRunFolder<A extends RunAnalysis>(original: RunAnalysis, analyses: readonly A[], pattern?: UserPattern): A | undefined {
  const folder = runFolderOf(original);
  if (folder === null) return undefined;
  return oldest(analyses.filter((a) => a.id !== original.id && isBclConvert(a, pattern) && isLiveOrDone(a.status) && runFolderOf(a) === folder));
}

/**
 * The analyses whose input ids are worth comparing with the original's: BCLConvert, queued, running or
 * SUCCEEDED, created after it, and named so that the run folder does not tell (a person's relaunch under
 * any name). Those whose reference names another run folder are another run.
 */
export function inputCheckCandidates<A extends RunAnalysis>(original: RunAnalysis, analyses: readonly A[], pattern?: UserPattern): A[] {
  const created = Date.parse(original.timeCreated);
  return analyses.filter(
    (a) =>
      a.id !== original.id &&
      isBclConvert(a, pattern) &&
      isLiveOrDone(a.status) &&
      runFolderOf(a) === null &&
      !(Date.parse(a.timeCreated) < created),
  );
}

function oldest<A extends RunAnalysis>(analyses: readonly A[]): A | undefined {
  return [...analyses].sort((x, y) => x.timeCreated.localeCompare(y.timeCreated) || x.id.localeCompare(y.id))[0];
}
