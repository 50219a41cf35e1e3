import type { SimRequest } from "../http/router.js";
import { type Checksum, checksumAlgorithmOf, verifyChecksums } from "./checksums.js";
import { S3Error, invalidArgument, notImplemented } from "./s3-error.js";
import { sha256Hex, UNSIGNED_PAYLOAD } from "./sigv4.js";

const STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

export interface Payload {
  bytes: Buffer;
  /** The flexible checksum the client sent (header or trailer), verified. */
  checksum: Checksum | undefined;
}

const incomplete = (message: string) => new S3Error(400, "IncompleteBody", message);

/**
 * Decodes `Content-Encoding: aws-chunked` (what the SDK sends for streams, with the checksum in a trailer):
 * `<hex size>[;ext]\r\n<bytes>\r\n … 0\r\n<name>:<value>\r\n…\r\n`.
 */
function decodeAwsChunked(body: Buffer): { bytes: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  let pos = 0;
  const line = () => {
    const end = body.indexOf("\r\n", pos, "latin1");
    if (end < 0) throw incomplete("the aws-chunked body ends in the middle of a line");
    const text = body.toString("latin1", pos, end);
    pos = end + 2;
    return text;
  };
  for (;;) {
    const sizeText = line().split(";")[0] ?? "";
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw incomplete(`'${sizeText.slice(0, 20)}' is not an aws-chunked chunk size`);
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (pos + size + 2 > body.length || body.toString("latin1", pos + size, pos + size + 2) !== "\r\n") {
      throw incomplete("an aws-chunked chunk is shorter than its declared size");
    }
    chunks.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (pos < body.length) {
    const text = line();
    if (text === "") break;
    const colon = text.indexOf(":");
    if (colon > 0) trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { bytes: Buffer.concat(chunks), trailers };
}

/**
 * Checksums sent as headers, or as query parameters of a presigned URL: S3 checks those too, which is why
 * a URL presigned by SDK ≥ 3.729 with default settings (CRC32 of the empty body baked in) fails with
 * BadDigest on a real upload (aws/aws-sdk-js-v3#6994).
 */
function declaredChecksums(req: SimRequest): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of req.query) {
    if (checksumAlgorithmOf(name) !== undefined) values[name.toLowerCase()] = value;
  }
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && checksumAlgorithmOf(name) !== undefined) values[name] = value;
  }
  return values;
}

/**
 * The object bytes exactly as the client meant them: the declared SHA-256 checked, aws-chunked framing
 * removed, and every checksum (header, trailer, Content-MD5) verified.
 */
export function readPayload(req: SimRequest, payloadHash: string): Payload {
  const contentMd5 = typeof req.headers["content-md5"] === "string" ? req.headers["content-md5"] : undefined;
  if (payloadHash === STREAMING_UNSIGNED_TRAILER) {
    const { bytes, trailers } = decodeAwsChunked(req.body);
    const declared = req.headers["x-amz-decoded-content-length"];
    if (typeof declared === "string" && Number(declared) !== bytes.length) {
      throw incomplete(`x-amz-decoded-content-length is ${declared} but the chunks hold ${bytes.length} bytes`);
    }
    return { bytes, checksum: verifyChecksums(bytes, { ...declaredChecksums(req), ...trailers }, contentMd5) };
  }
  if (payloadHash.startsWith("STREAMING-")) {
    throw notImplemented(`${payloadHash} bodies are not supported by the simulator; send the SHA-256, UNSIGNED-PAYLOAD or ${STREAMING_UNSIGNED_TRAILER}`);
  }
  if (payloadHash !== UNSIGNED_PAYLOAD) {
    if (!/^[0-9a-f]{64}$/.test(payloadHash)) throw invalidArgument("x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* mode");
    if (sha256Hex(req.body) !== payloadHash) {
      throw new S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
  return { bytes: req.body, checksum: verifyChecksums(req.body, declaredChecksums(req), contentMd5) };
}
