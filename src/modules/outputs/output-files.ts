import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";
import { forEachFileUnder, type FolderRef } from "./files-under.js";

/** Marker files that tell who manages an analysis' outputs ([REF]): BaseSpace or ICA itself. */
export const markerFileNames = { bsshOutput: "bsshoutput.json", tags: "_tags.json" } as const;
type MarkerKind = keyof typeof markerFileNames;
export type MarkerFiles = Partial<Record<MarkerKind, IcaData>>;

/** Which marker a file is, if any (exact name, as the predecessor compared it). */
function markerKindOf(file: Pick<IcaData, "name">): MarkerKind | undefined {
  if (file.name === markerFileNames.bsshOutput) return "bsshOutput";
  if (file.name === markerFileNames.tags) return "tags";
  return undefined;
}

/**
 * The marker files of many folders in few calls, without listing the folders: the multi-folder
 * listing (forEachFileUnder) narrowed by exact file name, so the answer holds the markers only. The
 * shallowest marker of a kind wins: it is the analysis' own, deeper ones belong to tools it ran.
 * Folders without a marker are absent from the result.
 */
export async function findMarkerFiles<K>(ica: IcaClient, projectId: string, folders: readonly FolderRef<K>[]): Promise<Map<K, MarkerFiles>> {
  const found = new Map<K, MarkerFiles>();
  await forEachFileUnder(
    ica,
    projectId,
    folders,
    (key, file) => {
      const kind = markerKindOf(file);
      if (!kind) return;
      const markers = found.get(key) ?? {};
      const current = markers[kind];
      if (!current || depth(file.path) < depth(current.path)) markers[kind] = file;
      found.set(key, markers);
    },
    { filename: Object.values(markerFileNames), filenameMatchMode: "EXACT" },
  );
  return found;
}

function depth(path: string): number {
  return path.split("/").length;
}
