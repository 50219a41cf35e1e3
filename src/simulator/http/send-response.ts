import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { gzip, constants } from "node:zlib";
import type { SimResponse } from "./router.js";

const gzipAsync = promisify(gzip);

/** ICA gzips JSON when asked (spec intro); below a few KB compressing costs more than it saves. */
const gzipMinBytes = 4 * 1024;

/**
 * Writes a handler's response. Buffers and strings go out untouched (handlers that pre-render a page
 * avoid a second JSON pass); other values are JSON-encoded once. Header names are lower-cased so a
 * handler's `Content-Type` and the defaults never both appear.
 */
export async function sendResponse(req: IncomingMessage, res: ServerResponse, response: SimResponse): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = value;

  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  // Generated S3 objects: streamed with backpressure, so a multi-GB body is never in memory.
  if (response.body instanceof Readable) {
    res.writeHead(response.status, headers);
    await pipeline(response.body, res);
    return;
  }
  let payload = encodeBody(response.body, headers);
  if (payload.length >= gzipMinBytes && /json/i.test(headers["content-type"] ?? "") && acceptsGzip(req)) {
    payload = await gzipAsync(payload, { level: constants.Z_BEST_SPEED });
    headers["content-encoding"] = "gzip";
    headers["vary"] = "Accept-Encoding";
    // A handler's own length describes the uncompressed bytes.
    delete headers["content-length"];
  }
  headers["content-length"] ??= String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer {
  if (Buffer.isBuffer(body)) {
    headers["content-type"] ??= "application/octet-stream";
    return body;
  }
  if (typeof body === "string") {
    headers["content-type"] ??= "text/plain; charset=utf-8";
    return Buffer.from(body);
  }
  headers["content-type"] ??= "application/json";
  return Buffer.from(JSON.stringify(body));
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers["accept-encoding"];
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [coding, ...params] = part.trim().split(";");
    if (coding?.trim().toLowerCase() !== "gzip") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
