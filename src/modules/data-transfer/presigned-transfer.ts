import type { IcaClient } from "../../ica/client.js";

/**
 * Uploads bytes through `:createUploadUrl` (new or PARTIAL files in their owning project, L6926). The
 * URL's query is its signature: it goes straight to the upload and is never logged (errors name the
 * route template, not the URL).
 */
export async function uploadViaPresignedUrl(
  ica: IcaClient,
  projectId: string,
  dataId: string,
  bytes: Buffer,
  contentType?: string,
): Promise<void> {
  await ica.uploadToUrl(await ica.createUploadUrl(projectId, dataId), bytes, contentType);
}
