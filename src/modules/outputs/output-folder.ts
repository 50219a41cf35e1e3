import type { IcaAnalysis, IcaAnalysisOutput } from "../../ica/schemas.js";

export class OutputFolderNotFoundError extends Error {
  constructor(readonly analysisId: string, reason: string) {
    super(`Analysis ${analysisId} has no usable output folder: ${reason}. It may still be running, or its outputs were deleted`);
    this.name = "OutputFolderNotFoundError";
  }
}

/**
 * The data id of the output folder among an analysis' outputs (`GET .../outputs`, AnalysisOutput
 * L17404): the FOLDER data, preferring the one named after the analysis reference — it lives at
 * `/ilmn-analyses/<reference>/` or `/<reference>/`. Outputs carry neither path nor status, so
 * OutputFolders then reads the folders many at a time by id.
 */
export function outputFolderIdOf(outputs: readonly IcaAnalysisOutput[], analysis: Pick<IcaAnalysis, "id" | "reference">): string {
  const folders = outputs.flatMap((o) => o.data.filter((d) => d.dataType === "FOLDER"));
  if (folders.length === 0) throw new OutputFolderNotFoundError(analysis.id, "its outputs list no folder");
  // [REF] takes the last data entry of the first output; naming by reference is the documented layout.
  const chosen = folders.find((f) => f.name === analysis.reference) ?? folders[folders.length - 1];
  return (chosen as (typeof folders)[number]).dataId;
}
