import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** Marker files that tell who manages an analysis' outputs ([REF]): BaseSpace or ICA itself. */
export const markerFileNames = { bsshOutput: "bsshoutput.json", tags: "_tags.json" } as const;
export type MarkerKind = keyof typeof markerFileNames;
export type MarkerFiles = Partial<Record<MarkerKind, IcaData>>;

/** Which marker a file is, if any (exact name, as the predecessor compared it). */
export function markerKindOf(file: Pick<IcaData, "name">): MarkerKind | undefined {
  if (file.name === markerFileNames.bsshOutput) return "bsshOutput";
  if (file.name === markerFileNames.tags) return "tags";
  return undefined;
}

/**
 * Every file under a folder, recursively, streamed. One cursor listing of
 * `GET data?filePath=<folder>&filePathMatchMode=STARTS_WITH_CASE_INSENSITIVE&type=FILE&pageSize=1000`:
 * documented as recursive (L5611), so a thousand files cost one call. V4 `data/{id}/children` would cost
 * the same per page but recursion there is only inferred (notes §6), and it needs the folder id first.
 * The match is case-insensitive, so paths of a sibling folder spelled in another case are dropped here.
 */
export async function* streamFolderFiles(
  ica: IcaClient,
  projectId: string,
  folderPath: string,
): AsyncGenerator<IcaData, void, undefined> {
  const prefix = folderPath.endsWith("/") ? folderPath : `${folderPath}/`;
  const files = ica.listData(projectId, {
    filePath: [prefix],
    filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE",
    type: "FILE",
  });
  for await (const file of files) if (file.path.startsWith(prefix)) yield file;
}

/**
 * The marker files under a folder without listing the folder: the same recursive path filter plus a
 * filename filter, so the answer holds only the markers (one call). A cycle that streams the folder
 * anyway should use `markerKindOf` on that stream instead.
 */
export async function findMarkerFiles(ica: IcaClient, projectId: string, folderPath: string): Promise<MarkerFiles> {
  const prefix = folderPath.endsWith("/") ? folderPath : `${folderPath}/`;
  const markers: MarkerFiles = {};
  const found = ica.listData(projectId, {
    filePath: [prefix],
    filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE",
    filename: Object.values(markerFileNames),
    filenameMatchMode: "EXACT",
    type: "FILE",
  });
  for await (const file of found) {
    const kind = file.path.startsWith(prefix) ? markerKindOf(file) : undefined;
    // The shallowest marker wins: it belongs to the analysis, deeper ones to nested tool outputs.
    if (kind && (!markers[kind] || depth(file.path) < depth((markers[kind] as IcaData).path))) markers[kind] = file;
  }
  return markers;
}

function depth(path: string): number {
  return path.split("/").length;
}
