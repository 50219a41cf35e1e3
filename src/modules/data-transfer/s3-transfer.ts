import type { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { ApiError, NetworkError, errorForStatus, oneLine, type ApiErrorFields } from "../../http/errors.js";
import { redactSecrets, stripQueryStrings } from "../../http/redact.js";
import type { RequestStats } from "../../http/request-stats.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaData, IcaTempCredentials } from "../../ica/schemas.js";

export interface S3TransferOptions {
  /** S3 endpoint (the simulator's); default `AWS_ENDPOINT_URL_S3`, else AWS's regional endpoint. */
  endpoint?: string;
  /** Path-style addressing; default on whenever an endpoint is given (local S3 stand-ins need it). */
  forcePathStyle?: boolean;
  /** Multipart part size, at least 5 MiB (S3's minimum); bodies up to one part go in a single PUT. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel. */
  queueSize?: number;
}

const minPartSize = 5 * 1024 * 1024;
const defaultPartSize = 8 * 1024 * 1024;

/** The object key of a file: ICA scopes file credentials to the file's key, folder ones to a prefix. */
export function objectKeyFor(creds: Pick<IcaTempCredentials, "objectPrefix">, fileName: string): string {
  return creds.objectPrefix.endsWith("/") ? `${creds.objectPrefix}${fileName}` : creds.objectPrefix;
}

/**
 * The AWS SDK is loaded on the first transfer with temporary credentials, not with this module: a
 * cycle moves its few bytes through presigned URLs and need not carry the SDK's start-up time and memory.
 */
const clientS3 = () => import("@aws-sdk/client-s3");

async function s3ClientFor(creds: IcaTempCredentials, opts: S3TransferOptions, stats: RequestStats): Promise<S3Client> {
  const { S3Client } = await clientS3();
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_S3;
  const client = new S3Client({
    region: creds.region,
    credentials: { accessKeyId: creds.accessKey, secretAccessKey: creds.secretKey, sessionToken: creds.sessionToken },
    endpoint,
    forcePathStyle: opts.forcePathStyle ?? endpoint !== undefined,
    // Checksums only where S3 requires them: the default streaming CRC trailers are not understood by
    // every S3-compatible store, and ICA's buckets do not ask for them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  // Counted per S3 operation, inside the SDK's own retry loop so that every HTTP attempt counts.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const method = (args.request as { method?: string }).method ?? "S3";
      const route = `s3:${context.commandName ?? "unknown"}`;
      stats.started("s3", method, route, false);
      let ok = false;
      try {
        const out = await next(args);
        ok = true;
        return out;
      } finally {
        stats.finished("s3", method, route, ok);
      }
    },
    { step: "finalizeRequest", priority: "low", name: "icaOrchestratorRequestStats" },
  );
  return client;
}

/**
 * SDK errors carry the signed request context; only status, code, request id and a redacted message
 * are kept, under a route template (never the key with its bucket, never the credentials).
 */
function toS3Error(error: unknown, method: string, creds: IcaTempCredentials): ApiError {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const secrets = [creds.accessKey, creds.secretKey, creds.sessionToken];
  const fields: ApiErrorFields = {
    service: "s3",
    method,
    route: "s3://{bucket}/{objectKey}",
    title: e.name,
    detail: e.message === undefined ? undefined : oneLine(stripQueryStrings(redactSecrets(e.message, secrets))),
    requestId: e.$metadata?.requestId,
    attempts: 1,
  };
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 300 ? errorForStatus({ ...fields, status }) : new NetworkError({ ...fields, code: e.code ?? e.name });
}

/**
 * Writes an object with temporary credentials. lib-storage switches to multipart above one part and
 * aborts the multipart upload on failure, so a failed upload leaves the ICA file PARTIAL, never
 * half-written.
 */
export async function putObject(
  creds: IcaTempCredentials,
  key: string,
  body: Buffer | Readable,
  opts: S3TransferOptions,
  stats: RequestStats,
): Promise<void> {
  const [{ Upload }, client] = await Promise.all([import("@aws-sdk/lib-storage"), s3ClientFor(creds, opts, stats)]);
  try {
    const upload = new Upload({
      client,
      params: {
        Bucket: creds.bucket,
        Key: key,
        Body: body,
        ...(creds.serverSideEncryptionAlgorithm === "AES256" ? { ServerSideEncryption: "AES256" as const } : {}),
      },
      partSize: Math.max(minPartSize, opts.partSizeBytes ?? defaultPartSize),
      queueSize: opts.queueSize ?? 4,
      leavePartsOnError: false,
    });
    await upload.done();
  } catch (error) {
    throw toS3Error(error, "PUT", creds);
  } finally {
    client.destroy();
  }
}

/** Reads an object with temporary credentials. */
export async function getObject(
  creds: IcaTempCredentials,
  key: string,
  opts: S3TransferOptions,
  stats: RequestStats,
): Promise<Buffer> {
  const [{ GetObjectCommand }, client] = await Promise.all([clientS3(), s3ClientFor(creds, opts, stats)]);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: creds.bucket, Key: key }));
    return Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
  } catch (error) {
    throw toS3Error(error, "GET", creds);
  } finally {
    client.destroy();
  }
}

/** Uploads a file's bytes through `:createTemporaryCredentials` (write access: owning project only). */
export async function uploadWithTemporaryCredentials(
  ica: IcaClient,
  projectId: string,
  file: Pick<IcaData, "id" | "name">,
  body: Buffer | Readable,
  opts: S3TransferOptions = {},
): Promise<void> {
  const creds = await ica.createTemporaryCredentials(projectId, file.id, { readOnly: false });
  await putObject(creds, objectKeyFor(creds, file.name), body, opts, ica.stats);
}

/** Downloads a file's bytes with read-only temporary credentials. */
export async function downloadWithTemporaryCredentials(
  ica: IcaClient,
  projectId: string,
  file: Pick<IcaData, "id" | "name">,
  opts: S3TransferOptions = {},
): Promise<Buffer> {
  const creds = await ica.createTemporaryCredentials(projectId, file.id, { readOnly: true });
  return getObject(creds, objectKeyFor(creds, file.name), opts, ica.stats);
}
