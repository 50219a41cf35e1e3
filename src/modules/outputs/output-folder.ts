import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis, IcaAnalysisOutput, IcaData } from "../../ica/schemas.js";

export class OutputFolderNotFoundError extends Error {
  constructor(readonly analysisId: string, reason: string) {
    super(`Analysis ${analysisId} has no usable output folder: ${reason}. It may still be running, or its outputs were deleted`);
    this.name = "OutputFolderNotFoundError";
  }
}

/**
 * The output folder of an analysis: the FOLDER data of its outputs (`GET .../outputs`, AnalysisOutput
 * L17404), preferring the one named after the analysis reference — it lives at `/ilmn-analyses/<reference>/`
 * or `/<reference>/` — then read by id for its path and status (outputs carry neither). Two calls.
 */
export async function findOutputFolder(
  ica: IcaClient,
  projectId: string,
  analysis: Pick<IcaAnalysis, "id" | "reference">,
): Promise<IcaData> {
  const outputs = await ica.getAnalysisOutputs(projectId, analysis.id);
  const folder = await ica.getData(projectId, outputFolderIdOf(outputs.items, analysis));
  return { ...folder, path: folder.path.endsWith("/") ? folder.path : `${folder.path}/` };
}

/**
 * The data id of the output folder among an analysis' outputs (the first half of findOutputFolder, for
 * callers that read many folders by id in one listing).
 */
export function outputFolderIdOf(outputs: readonly IcaAnalysisOutput[], analysis: Pick<IcaAnalysis, "id" | "reference">): string {
  const folders = outputs.flatMap((o) => o.data.filter((d) => d.dataType === "FOLDER"));
  if (folders.length === 0) throw new OutputFolderNotFoundError(analysis.id, "its outputs list no folder");
  // [REF] takes the last data entry of the first output; naming by reference is the documented layout.
  const chosen = folders.find((f) => f.name === analysis.reference) ?? folders[folders.length - 1];
  return (chosen as (typeof folders)[number]).dataId;
}
