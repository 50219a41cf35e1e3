import type { UserPattern } from "../../config/user-pattern.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { analysisStateOf, type AnalysisState } from "./analysis-state.js";

/** The predecessor matched "BCL" and "Convert" case-insensitively in the pipeline code. */
export const defaultBclConvertPattern = /bcl.*convert/i;

export function isBclConvert(analysis: Pick<IcaAnalysis, "pipeline">, pattern: UserPattern = defaultBclConvertPattern): boolean {
  // Settings refuse g/y flags (a RegExp with them keeps lastIndex between test() calls).
  return pattern.test(analysis.pipeline.code);
}

export type BclConvertGroups = Record<AnalysisState, IcaAnalysis[]>;

/**
 * Sorts the BCLConvert analyses of a listing by state; other pipelines are skipped. Takes the listing
 * as any (async) iterable so that a cycle can pass the one listing it already holds.
 */
export async function groupBclConvertAnalyses(
  analyses: AsyncIterable<IcaAnalysis> | Iterable<IcaAnalysis>,
  pattern: RegExp = defaultBclConvertPattern,
): Promise<BclConvertGroups> {
  const groups: BclConvertGroups = { pending: [], done: [], failed: [], unknown: [] };
  for await (const analysis of analyses) {
    if (isBclConvert(analysis, pattern)) groups[analysisStateOf(analysis.status)].push(analysis);
  }
  return groups;
}
