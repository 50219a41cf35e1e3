import type { IcaClient } from "../../ica/client.js";
import type { IcaData } from "../../ica/schemas.js";
import { createFileAtPath } from "./create-file.js";
import type { PollOptions } from "./poll.js";
import { uploadViaPresignedUrl } from "./presigned-transfer.js";
import { uploadWithTemporaryCredentials, type S3TransferOptions } from "./s3-transfer.js";

export interface PutFileResult {
  file: IcaData;
  /** false when the path already held a complete (AVAILABLE) file, which ICA does not let us overwrite. */
  uploaded: boolean;
}

/**
 * Creates a file at a folder path and uploads its bytes, resuming safely: an existing PARTIAL file (an
 * earlier upload that died) is uploaded again in place; an AVAILABLE one is left alone and returned, so
 * a re-run never makes a second copy. The file is read back at the end for its final status and size.
 */
export async function putFile(
  ica: IcaClient,
  projectId: string,
  target: { folderPath: string; name: string; formatCode?: string },
  bytes: Buffer,
  opts: { idempotencyKey: string; via?: "presigned-url" | "temporary-credentials"; s3?: S3TransferOptions; poll?: PollOptions },
): Promise<PutFileResult> {
  const { file } = await createFileAtPath(ica, projectId, target, { idempotencyKey: opts.idempotencyKey, poll: opts.poll });
  if (file.status !== "PARTIAL") return { file, uploaded: false };
  if (opts.via === "temporary-credentials") {
    await uploadWithTemporaryCredentials(ica, projectId, file, bytes, opts.s3);
  } else {
    await uploadViaPresignedUrl(ica, projectId, file.id, bytes);
  }
  return { file: await ica.getData(projectId, file.id), uploaded: true };
}
