import pLimit from "p-limit";
import type { IcaClient, IcaDataFilter } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";
import { batchByQueryLength } from "./query-batches.js";

export interface FolderRef<K> {
  key: K;
  /** Folder path; a missing trailing `/` is added. */
  path: string;
}

/**
 * Listings of files run at most this many at a time, below the client's gate (8 by default): their pages
 * are the largest answers a cycle reads (1,000 files, about a megabyte of JSON, held two or three times
 * over while it is read and parsed), and sizing the ~9,000 output folders of a first cycle on scale-1m
 * with every slot on such pages was that cycle's peak (40 MB of response buffers at once). The calls are
 * the same; only that part of the cycle waits longer.
 */
const fileListingsAtOnce = 4;

/**
 * Files under several folders, streamed to `onFile` with the key of their folder. `GET data` takes
 * several `filePath` prefixes in one request (recursive STARTS_WITH), so analyses with a few hundred
 * files each share 1000-item pages instead of costing at least a page each. The server's prefix match
 * ignores case; a file is given to a folder only when its path starts with that folder's exact path.
 */
export async function forEachFileUnder<K>(
  ica: IcaClient,
  projectId: string,
  folders: readonly FolderRef<K>[],
  onFile: (key: K, file: IcaData) => void,
  filter: Pick<IcaDataFilter, "filename" | "filenameMatchMode"> = {},
): Promise<void> {
  const byPath = new Map<string, K>();
  for (const folder of folders) byPath.set(folder.path.endsWith("/") ? folder.path : `${folder.path}/`, folder.key);
  const batches = batchByQueryLength([...byPath.keys()], "filePath");
  const limit = pLimit(fileListingsAtOnce);
  await Promise.all(
    batches.map((paths) =>
      limit(async () => {
        const files = ica.listData(projectId, {
          ...filter,
          filePath: paths,
          filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE",
          type: "FILE",
        });
        for await (const file of files) {
          const key = folderOf(file.path, byPath);
          if (key !== undefined) onFile(key, file);
        }
      }),
    ),
  );
}

/** The deepest listed folder the path lies in (walking up its `/`s: a few map lookups per file). */
function folderOf<K>(path: string, byPath: ReadonlyMap<string, K>): K | undefined {
  for (let slash = path.lastIndexOf("/", path.length - 2); slash >= 0; slash = path.lastIndexOf("/", slash - 1)) {
    const key = byPath.get(path.slice(0, slash + 1));
    if (key !== undefined) return key;
    if (slash === 0) break;
  }
  return undefined;
}
