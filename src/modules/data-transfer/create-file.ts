import { BadRequestError, ConflictError } from "../../http/errors.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";
import { pollUntil, type PollOptions } from "./poll.js";

export interface CreatedFile {
  file: IcaData;
  /** false: a file already existed at that path (its `status` tells whether its upload finished). */
  created: boolean;
  /** For a file that already existed: how ICA answered the create (ledger `ica.duplicate-path` reads 409). */
  existingAnswered?: 400 | 409;
}

/**
 * The file at exactly this path. ICA's exact-path filter ignores case and can return several files that
 * differ only in case (spec, filePathMatchMode), so the case is compared here.
 */
export async function findFileByPath(ica: IcaClient, projectId: string, path: string): Promise<IcaData | undefined> {
  const matches = ica.listData(projectId, { filePath: [path], filePathMatchMode: "FULL_CASE_INSENSITIVE", type: "FILE" });
  for await (const file of matches) if (file.path === path) return file;
  return undefined;
}

/**
 * Creates a file entry at `folderPath` + `name` (the folder is created if missing), or returns the one
 * already there. With an Idempotency-Key a replayed create returns the stored answer, so retries are
 * safe. A 409 means either the path exists — then the existing file is returned with its status, so a
 * caller can upload again over a PARTIAL one — or, with nothing at the path, that the first request
 * with this key is still running (spec L12629); then the create is tried again until the poll deadline.
 * The spec documents no answer for an existing path (ledger `ica.duplicate-path`), so a 400 is looked
 * into too (one listing, only then): a file at the path makes it the same "already there", anything
 * else is the 400 it says.
 */
export async function createFileAtPath(
  ica: IcaClient,
  projectId: string,
  file: { folderPath: string; name: string; formatCode?: string },
  opts: { idempotencyKey: string; poll?: PollOptions },
): Promise<CreatedFile> {
  const folderPath = file.folderPath.endsWith("/") ? file.folderPath : `${file.folderPath}/`;
  const path = `${folderPath}${file.name}`;
  const attempt = async (): Promise<CreatedFile | undefined> => {
    try {
      return { file: await ica.createFile(projectId, { ...file, folderPath }, opts.idempotencyKey), created: true };
    } catch (error) {
      const conflict = error instanceof ConflictError;
      if (!conflict && !(error instanceof BadRequestError && error.status === 400)) throw error;
      const existing = await findFileByPath(ica, projectId, path);
      if (existing) return { file: existing, created: false, existingAnswered: conflict ? 409 : 400 };
      if (!conflict) throw error;
      return undefined;
    }
  };
  const result = await pollUntil(
    `Creating ${path} (a request with the same Idempotency-Key is still running)`,
    attempt,
    (r) => r !== undefined,
    () => "409 without a file at the path",
    { deadlineMs: 30_000, ...opts.poll },
  );
  return result as CreatedFile;
}
