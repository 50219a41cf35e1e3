import type { IcaClient } from "../../src/ica/client.js";
import type { IcaAnalysis, IcaData } from "../../src/ica/schemas.js";
import { findMarkerFiles, forEachFileUnder, OutputFolders, type MarkerFiles } from "../../src/modules/outputs/index.js";

/** One analysis' output folder through the cycle's OutputFolders (its error thrown). */
export async function outputFolderOf(ica: IcaClient, projectId: string, analysis: Pick<IcaAnalysis, "id" | "reference">): Promise<IcaData> {
  const folder = (await new OutputFolders(ica, projectId, 4).of([analysis])).get(analysis.id);
  if (folder === undefined || folder instanceof Error) throw folder ?? new Error(`no output folder for ${analysis.id}`);
  return folder;
}

/** Every file under one folder, through the cycle's multi-folder listing. */
export async function filesUnder(ica: IcaClient, projectId: string, path: string): Promise<IcaData[]> {
  const files: IcaData[] = [];
  await forEachFileUnder(ica, projectId, [{ key: path, path }], (_key, file) => void files.push(file));
  return files;
}

/** The marker files under one folder, through the cycle's multi-folder marker lookup. */
export async function markersUnder(ica: IcaClient, projectId: string, path: string): Promise<MarkerFiles> {
  return (await findMarkerFiles(ica, projectId, [{ key: path, path }])).get(path) ?? {};
}
