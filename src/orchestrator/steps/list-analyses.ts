import type { IcaAnalysis } from "../../ica/schemas.js";
import { projectAnalysesSnapshot } from "../../modules/monitor/index.js";
import type { CycleContext } from "../cycle-context.js";
import type { StepRecorder } from "../step-recorder.js";

/**
 * Step 2: the source project's analyses, listed once per cycle (every status and pipeline: manageNew
 * wants the BCLConvert ones, classifyAged any aged one). Every later step reads this snapshot.
 * Analyses are small records, so the listing is held (file listings are streamed), which lets its
 * pages be fetched side by side: at 10,000 analyses, two round trips instead of ten.
 */
export async function listAnalyses(ctx: CycleContext, sourceId: string, rec: StepRecorder): Promise<IcaAnalysis[]> {
  const progress = ctx.progress(rec.logger, "listing analyses");
  const analyses = await projectAnalysesSnapshot(ctx.ica, sourceId);
  progress.finish(`${analyses.length} analyses`);
  rec.count("analyses", analyses.length);
  return analyses;
}
