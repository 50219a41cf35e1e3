import { projectAnalysesSnapshot } from "../../modules/monitor/index.js";
import type { CycleContext } from "../cycle-context.js";
import { listedCycle, type ListedCycle, type ResolvedProjects } from "../cycle-facts.js";
import type { StepRecorder } from "../step-recorder.js";

/**
 * Step 2: the source project's analyses, listed once per cycle (every status and pipeline: manageNew
 * wants the BCLConvert ones, classifyAged any aged one). Every later step reads this snapshot, and
 * the facts derived from it once (see ListedCycle). Analyses are small records, so the listing is
 * held (file listings are streamed), which lets its pages be fetched side by side: at 10,000
 * analyses, two round trips instead of ten.
 */
export async function listAnalyses(
  ctx: CycleContext,
  projects: ResolvedProjects,
  managedIds: ReadonlySet<string>,
  rec: StepRecorder,
): Promise<ListedCycle> {
  const progress = ctx.progress.start(rec.logger, "listing analyses");
  const analyses = await projectAnalysesSnapshot(ctx.ica, projects.source.id);
  progress.finish(`${analyses.length} analyses`);
  rec.count("analyses", analyses.length);
  return listedCycle(ctx, projects, analyses, managedIds);
}
