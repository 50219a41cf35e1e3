import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import type { IcaClient } from "../../../ica/client.js";
import { downloadFile, type FileOutcome, type TransferOptions } from "./download-file.js";
import { stateFolderName } from "./file-state.js";
import { DownloadInputError, type ManifestRow } from "./manifest-rows.js";

/** 8 MiB, the AWS CLI's part size: the streamed part MD5s then give the ETag of an AWS CLI upload. */
const defaultPartSize = 8 * 1024 * 1024;

export interface DownloadRequest {
  ica: IcaClient;
  rows: readonly ManifestRow[];
  dest: string;
  /** Ranged GETs in flight at once, over all files; as many files are worked on at once at most. */
  concurrency: number;
  partSize?: number;
  /** The S3 endpoint for the simulator or an S3-compatible test store; AWS's regional one when absent. */
  s3Endpoint?: string;
  signal: AbortSignal;
  /** The total once every size is known, then bytes as parts complete. */
  onStart?: (totalBytes: number, files: number) => void;
  onBytes?: (bytes: number) => void;
  onFile?: (result: FileResult) => void;
}

export interface FileResult {
  row: ManifestRow;
  /** null when ICA could not say (the file failed before its size was known). */
  size: number | null;
  outcome: FileOutcome;
}

/** Size and checksum from the manifest's columns, else from ICA's file details (four-column manifests). */
async function describe(ica: IcaClient, row: ManifestRow): Promise<{ size: number; checksum: string }> {
  if (row.sizeBytes !== undefined && row.checksum !== undefined) return { size: row.sizeBytes, checksum: row.checksum };
  const data = await ica.getData(row.projectId, row.dataId);
  const size = row.sizeBytes ?? data.sizeBytes;
  if (size === null) throw new Error(`ICA lists no size for ${data.path} (status ${data.status})`);
  return { size, checksum: row.checksum ?? data.objectETag ?? "" };
}

async function prepareDest(dest: string): Promise<void> {
  const info = await stat(dest).catch(() => undefined);
  if (info && !info.isDirectory()) throw new DownloadInputError(`--dest ${dest} is a file, not a folder: name a folder (it is created if missing)`);
  try {
    await mkdir(join(dest, stateFolderName), { recursive: true });
  } catch (error) {
    throw new DownloadInputError(`cannot create --dest ${dest} (${(error as NodeJS.ErrnoException).code ?? String(error)}): name a folder you can write to`);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Every file of a manifest into `dest`: their sizes and checksums first (so the total is known), then
 * up to `concurrency` files at once, their parts through one gate of `concurrency` GETs. Never throws
 * for one file: each ends present, verified or failed. A shutdown request (`signal`) stops the
 * transfers at once; what was written stays for the next run to continue from.
 */
export async function downloadManifest(request: DownloadRequest): Promise<FileResult[]> {
  const { ica, rows, dest, concurrency, signal } = request;
  await prepareDest(dest);
  const described = await Promise.all(
    rows.map((row) => describe(ica, row).then((details) => ({ row, details }), (error: unknown) => ({ row, error: messageOf(error) }))),
  );
  signal.throwIfAborted();
  const partSize = request.partSize ?? defaultPartSize;
  request.onStart?.(described.reduce((sum, item) => sum + ("details" in item ? item.details.size : 0), 0), rows.length);
  const options: TransferOptions = {
    dest,
    partSize,
    // With at most `concurrency` parts of a file in flight, a kill loses less than one part per file.
    checkpointBytes: Math.max(1, Math.floor(partSize / concurrency)),
    s3Endpoint: request.s3Endpoint,
    gate: pLimit(concurrency),
    signal,
    onBytes: (bytes) => request.onBytes?.(bytes),
  };
  const files = pLimit(concurrency);
  return Promise.all(
    described.map((item) =>
      files(async (): Promise<FileResult> => {
        const result: FileResult =
          "error" in item
            ? { row: item.row, size: null, outcome: { status: "failed", why: item.error, fetchedBytes: 0 } }
            : {
                row: item.row,
                size: item.details.size,
                outcome: await downloadFile(
                  {
                    fileName: item.row.fileName,
                    dataId: item.row.dataId,
                    ...item.details,
                    createCredentials: () => ica.createTemporaryCredentials(item.row.projectId, item.row.dataId, { readOnly: true }),
                  },
                  options,
                ),
              };
        // A file kept as it was counts as done, for the progress display.
        if (result.outcome.status === "present" && result.size !== null) request.onBytes?.(result.size);
        request.onFile?.(result);
        return result;
      }),
    ),
  );
}
