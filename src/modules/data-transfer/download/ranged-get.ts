import type { FileHandle } from "node:fs/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { keepAliveAgents } from "../../../http/keep-alive-agents.js";

/** A GET that may work when tried again: a reset, a stall, a 5xx or 429, a body cut short. */
export class TransientTransferError extends Error {
  override name = "TransientTransferError";
}

/** 403 from the object store: the presigned URL expired (or was refused): ask ICA for a new one. */
export class UrlRefusedError extends Error {
  override name = "UrlRefusedError";
}

/** Trying again cannot help: the object is gone or is not the size ICA lists. */
export class FatalTransferError extends Error {
  override name = "FatalTransferError";
}

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
  /** The whole object's size, which the store's Content-Range must confirm. */
  total: number;
}

/** No byte for this long ends the GET (it is tried again): a stalled connection, not a slow one. */
const stallMs = 60_000;
/** Every transfer of the process shares them: connections to the store are reused part after part. */
const agents = keepAliveAgents(64);

/** The S3 error code in an XML error body, for messages; the body is a few hundred bytes. */
async function errorCode(response: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of response) {
    if (body.length < 4096) body += (chunk as Buffer).toString("utf8");
  }
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? `HTTP ${response.statusCode ?? "?"}`;
}

function checkStatus(response: IncomingMessage, range: ByteRange, ranged: boolean): void {
  const status = response.statusCode ?? 0;
  if (status === 206 || (status === 200 && !ranged)) {
    const contentRange = String(response.headers["content-range"] ?? "");
    const total = ranged ? Number(/\/(\d+)$/.exec(contentRange)?.[1]) : Number(response.headers["content-length"]);
    if (total !== range.total) {
      throw new FatalTransferError(`the store holds ${Number.isNaN(total) ? "an unknown number of" : total} bytes, ICA lists ${range.total}`);
    }
    return;
  }
  if (status === 200) throw new FatalTransferError("the store ignored the byte range it was asked for");
  throw new FatalTransferError(`the store answered ${status} to a GET`);
}

/**
 * GETs bytes `start`–`end` of the object behind a presigned URL and writes them at the same offset
 * of `handle`. Only the URL is sent (its query is the signature; it is never logged). Resolves when
 * every byte is written; rejects with one of the three errors above, or the signal's reason.
 */
export async function getRangeInto(url: string, range: ByteRange, handle: FileHandle, signal: AbortSignal): Promise<void> {
  const length = range.end - range.start + 1;
  // An empty object has no byte to ask for; a one-part GET of the whole object needs no range either.
  const ranged = !(range.start === 0 && range.end === range.total - 1);
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = client.get(
      target,
      {
        agent: target.protocol === "https:" ? agents.httpsAgent : agents.httpAgent,
        headers: ranged ? { range: `bytes=${range.start}-${range.end}` } : {},
        signal,
      },
      resolve,
    );
    request.setTimeout(stallMs, () => request.destroy(new TransientTransferError(`no answer from the store for ${stallMs / 1000} s`)));
    request.on("error", (error) => reject(signal.aborted ? signal.reason : asTransient(error)));
  });
  const status = response.statusCode ?? 0;
  if (status === 403) {
    const code = await errorCode(response);
    // S3's answer for an object in an archive tier: no new URL helps until it is restored.
    if (code === "InvalidObjectState") throw new FatalTransferError("the file is archived: ask the sender to unarchive it, then run again");
    throw new UrlRefusedError(`the store refused the download URL (${code})`);
  }
  if (status === 404) throw new FatalTransferError(`the store has no such object (${await errorCode(response)}): it was archived or deleted`);
  if (status === 416) throw new FatalTransferError(`the store holds fewer bytes than the ${range.total} ICA lists (${await errorCode(response)})`);
  if (status >= 400) {
    const code = await errorCode(response);
    if (status === 429 || status >= 500) throw new TransientTransferError(`the store answered ${status} (${code})`);
    throw new FatalTransferError(`the store answered ${status} (${code})`);
  }
  try {
    checkStatus(response, range, ranged);
  } catch (error) {
    response.resume();
    throw error;
  }
  let written = 0;
  try {
    for await (const chunk of response) {
      const bytes = chunk as Buffer;
      if (written + bytes.length > length) throw new FatalTransferError(`the store sent more than the ${length} bytes asked for`);
      await handle.write(bytes, 0, bytes.length, range.start + written);
      written += bytes.length;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error instanceof FatalTransferError ? error : asTransient(error);
  }
  if (written !== length) throw new TransientTransferError(`the store sent ${written} of ${length} bytes`);
}

function asTransient(error: unknown): Error {
  if (error instanceof TransientTransferError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new TransientTransferError(`the connection to the store failed (${code ?? (error instanceof Error ? error.message : String(error))})`);
}
