import type { IcaAnalysis } from "../../ica/schemas.js";
import { listProjectAnalyses } from "../../modules/monitor/index.js";
import type { CycleContext } from "../cycle-context.js";
import type { StepRecorder } from "../step-recorder.js";

/** Progress is asked about once per page of analyses, not per item. */
const progressEvery = 1000;

/**
 * Step 2: the source project's analyses, listed once per cycle (every status and pipeline: manageNew
 * wants the BCLConvert ones, classifyAged any aged one). Every later step reads this snapshot.
 * Analyses are small records, so the listing is held; file listings are streamed.
 */
export async function listAnalyses(ctx: CycleContext, sourceId: string, rec: StepRecorder): Promise<IcaAnalysis[]> {
  const byId = new Map<string, IcaAnalysis>();
  const progress = ctx.progress(rec.logger, "listing analyses");
  let seen = 0;
  // A cursor listing can repeat an item across a page boundary.
  for await (const analysis of listProjectAnalyses(ctx.ica, sourceId)) {
    byId.set(analysis.id, analysis);
    if (++seen % progressEvery === 0) progress.update(byId.size);
  }
  progress.finish(`${byId.size} analyses`);
  rec.count("analyses", byId.size);
  return [...byId.values()];
}
