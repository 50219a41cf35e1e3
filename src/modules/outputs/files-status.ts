import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";

/** Enough files to see whether they agree; a folder's files move together (one request archives them all). */
const sampledFiles = 50;

/**
 * The lifecycle status of a folder as its files show it: the status they share, or `undefined` when the
 * folder has no files or they disagree (a transition under way). ICA documents `:archive`/`:delete` of a
 * folder as acting on everything below it, not that the folder's own status follows (ledger
 * `ica.folder-status`), so the files are the authoritative source. One listing page at most.
 */
export async function statusOfFilesUnder(ica: IcaClient, projectId: string, folder: Pick<IcaData, "path">): Promise<string | undefined> {
  const statuses = new Set<string>();
  let seen = 0;
  for await (const file of ica.listData(projectId, { filePath: [folder.path], type: "FILE" })) {
    statuses.add(file.status);
    if (++seen >= sampledFiles) break;
  }
  return statuses.size === 1 ? [...statuses][0] : undefined;
}
