import type { UserPattern } from "../../config/user-pattern.js";
import type { IcaAnalysis } from "../../ica/schemas.js";

/** The predecessor matched "BCL" and "Convert" case-insensitively in the pipeline code. */
const defaultBclConvertPattern = /bcl.*convert/i;

export function isBclConvert(analysis: Pick<IcaAnalysis, "pipeline">, pattern: UserPattern = defaultBclConvertPattern): boolean {
  // Settings refuse g/y flags (a RegExp with them keeps lastIndex between test() calls).
  return pattern.test(analysis.pipeline.code);
}
