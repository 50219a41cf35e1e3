import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { once } from "node:events";
import { addAbortSignal, Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { GetObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { PositionedWriter } from "./positioned-writer.js";

/** A GET that may work when tried again: a reset, a stall, a 5xx or 429, a body cut short. */
export class TransientTransferError extends Error {
  override name = "TransientTransferError";
}

/** The store refused the temporary credentials (they expired, or were revoked): ask ICA for new ones. */
export class CredentialsRefusedError extends Error {
  override name = "CredentialsRefusedError";
}

/** Trying again cannot help: the object is gone, archived, or not the size ICA lists. */
export class FatalTransferError extends Error {
  override name = "FatalTransferError";
}

/** Where one file's bytes are, and a client signed with credentials that cover them. */
export interface ObjectLocation {
  client: S3Client;
  bucket: string;
  key: string;
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
  /** The whole object's size, which the store's Content-Range must confirm. */
  total: number;
}

/** S3's answers to credentials it will not take; ExpiredToken is the usual one after 36 h. */
const credentialCodes = new Set(["ExpiredToken", "TokenRefreshRequired", "InvalidToken", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"]);

/** What an S3 error means for the part: try again, new credentials, or give the file up. */
function classify(error: S3ServiceException, total: number): Error {
  const status = error.$metadata.httpStatusCode ?? 0;
  const what = `the store answered ${status} (${error.name})`;
  // S3's answer for an object in an archive tier: no new credentials help until it is restored.
  if (error.name === "InvalidObjectState") return new FatalTransferError("the file is archived: ask the sender to unarchive it, then run again");
  if (credentialCodes.has(error.name)) return new CredentialsRefusedError(`the store refused the temporary credentials (${error.name})`);
  if (status === 404) return new FatalTransferError(`the store has no such object (${error.name}): it was archived or deleted`);
  if (status === 416) return new FatalTransferError(`the store holds fewer bytes than the ${total} ICA lists (${error.name})`);
  if (status === 429 || status >= 500) return new TransientTransferError(what);
  return new FatalTransferError(what);
}

function asTransient(error: unknown): Error {
  if (error instanceof TransientTransferError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new TransientTransferError(`the connection to the store failed (${code ?? (error instanceof Error ? error.message : String(error))})`);
}

/** The object's size by the store's Content-Range (a ranged GET) or Content-Length (the whole object). */
function storedSize(contentRange: string | undefined, contentLength: number | undefined, ranged: boolean): number {
  return ranged ? Number(/\/(\d+)$/.exec(contentRange ?? "")?.[1]) : Number(contentLength);
}

/**
 * GETs bytes `start`–`end` of the object with `GetObject` and writes them at the same offset of
 * `handle` as they stream in (`PositionedWriter`), telling `onWritten` how many are written so far.
 * Resolves to their MD5 once every byte is written (hashed on the way, so the verification need not
 * read the file back); rejects with one of the three errors above, or the signal's reason.
 */
export async function getRangeInto(
  location: ObjectLocation,
  range: ByteRange,
  handle: FileHandle,
  signal: AbortSignal,
  onWritten: (bytes: number) => void,
): Promise<Buffer> {
  const length = range.end - range.start + 1;
  // An empty object has no byte to ask for; a one-part GET of the whole object needs no range either.
  const ranged = !(range.start === 0 && range.end === range.total - 1);
  const command = new GetObjectCommand({ Bucket: location.bucket, Key: location.key, ...(ranged ? { Range: `bytes=${range.start}-${range.end}` } : {}) });
  const response = await location.client.send(command, { abortSignal: signal }).catch((error: unknown) => {
    if (signal.aborted) throw signal.reason;
    throw error instanceof S3ServiceException ? classify(error, range.total) : asTransient(error);
  });
  const body = response.Body;
  // In Node the SDK hands the response over as the IncomingMessage itself: it is read as it arrives.
  if (!(body instanceof Readable)) throw new FatalTransferError("the S3 client gave no readable body");
  const total = storedSize(response.ContentRange, response.ContentLength, ranged);
  if (total !== range.total) {
    body.destroy();
    throw new FatalTransferError(`the store holds ${Number.isNaN(total) ? "an unknown number of" : total} bytes, ICA lists ${range.total}`);
  }
  let received = 0;
  const md5 = createHash("md5");
  const writer = new PositionedWriter(handle, range.start, onWritten);
  // Settles when the last write is done, or at the first failed one (which also ends a wait for drain).
  const written = finished(writer);
  written.catch(() => undefined);
  try {
    for await (const chunk of addAbortSignal(signal, body)) {
      const bytes = chunk as Buffer;
      if (received + bytes.length > length) throw new FatalTransferError(`the store sent more than the ${length} bytes asked for`);
      md5.update(bytes);
      received += bytes.length;
      if (!writer.write(bytes)) await Promise.race([once(writer, "drain"), written]);
    }
    writer.end();
    await written;
  } catch (error) {
    body.destroy();
    writer.destroy();
    if (signal.aborted) throw signal.reason;
    throw error instanceof FatalTransferError ? error : asTransient(error);
  }
  if (received !== length) throw new TransientTransferError(`the store sent ${received} of ${length} bytes`);
  return md5.digest();
}
