import type { IcaClient } from "../../ica/client.js";

/** Uploads bytes through `:createUploadUrl` (new or PARTIAL files in their owning project, L6926). */
export async function uploadViaPresignedUrl(ica: IcaClient, projectId: string, dataId: string, bytes: Buffer): Promise<void> {
  await ica.uploadToUrl(await ica.createUploadUrl(projectId, dataId), bytes);
}

/** Downloads a file's bytes through `:createDownloadUrl`. */
export async function downloadViaPresignedUrl(ica: IcaClient, projectId: string, dataId: string): Promise<Buffer> {
  return ica.downloadFromUrl(await ica.createDownloadUrl(projectId, dataId));
}
