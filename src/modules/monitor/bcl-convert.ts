import type { IcaAnalysis } from "../../ica/schemas.js";

/** The predecessor matched "BCL" and "Convert" case-insensitively in the pipeline code. */
export const defaultBclConvertPattern = /bcl.*convert/i;

export function isBclConvert(analysis: Pick<IcaAnalysis, "pipeline">, pattern: RegExp = defaultBclConvertPattern): boolean {
  // A global/sticky RegExp keeps lastIndex between test() calls; a fresh copy makes the match stateless.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, "")).test(analysis.pipeline.code);
}
