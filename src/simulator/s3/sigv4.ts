import { createHash, createHmac } from "node:crypto";

/**
 * AWS Signature Version 4 as S3 applies it (no double encoding of the path, `UNSIGNED-PAYLOAD` allowed):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * Used both to verify requests and to presign URLs; the tests check both against the AWS SDK's signer.
 */

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const SERVICE = "s3";

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** RFC 3986 encoding: everything but `A-Za-z0-9-._~` is percent-encoded (encodeURIComponent spares `!'()*`). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/bucket/key` with each segment encoded and `/` kept, as the SDK sends it and S3 signs it. */
export function canonicalPath(bucket: string, key: string): string {
  return `/${uriEncode(bucket)}/${key.split("/").map(uriEncode).join("/")}`;
}

/** Sorted `k=v&…` with both sides encoded; a flag such as `?uploads` signs as `uploads=`. */
function canonicalQuery(pairs: Iterable<[string, string]>): string {
  return [...pairs]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** `20240529T101112Z` ↔ epoch ms. */
function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

interface Scope {
  date: string;
  region: string;
  service: string;
}

const scopeString = (s: Scope) => `${s.date}/${s.region}/${s.service}/aws4_request`;

export interface StringToSignInput {
  method: string;
  path: string;
  query: Iterable<[string, string]>;
  /** Lower-case name → value for the signed headers only. */
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
  amzDate: string;
  scope: Scope;
}

function canonicalRequest(input: Omit<StringToSignInput, "amzDate" | "scope">): string {
  const headerLines = input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`);
  return [
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    headerLines.join(""),
    input.signedHeaders.join(";"),
    input.payloadHash,
  ].join("\n");
}

/** The hex signature of a request for the given secret key. */
export function signature(input: StringToSignInput, secretKey: string): string {
  const stringToSign = [ALGORITHM, input.amzDate, scopeString(input.scope), sha256Hex(canonicalRequest(input))].join("\n");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const { date, region, service } = input.scope;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, date), region), service), "aws4_request");
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex");
}

export interface PresignInput {
  method: string;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  key: string;
  region: string;
  accessKey: string;
  secretKey: string;
  sessionToken: string;
  nowMs: number;
  expiresSeconds: number;
}

/** A query-signed URL (X-Amz-* parameters, only `host` signed, UNSIGNED-PAYLOAD) that plain HTTP can use. */
export function presignUrl(p: PresignInput): string {
  const url = new URL(p.endpoint);
  const amzDate = toAmzDate(p.nowMs);
  const scope = { date: amzDate.slice(0, 8), region: p.region, service: SERVICE };
  const path = canonicalPath(p.bucket, p.key);
  const query: [string, string][] = [
    ["X-Amz-Algorithm", ALGORITHM],
    ["X-Amz-Credential", `${p.accessKey}/${scopeString(scope)}`],
    ["X-Amz-Date", amzDate],
    ["X-Amz-Expires", String(p.expiresSeconds)],
    ["X-Amz-Security-Token", p.sessionToken],
    ["X-Amz-SignedHeaders", "host"],
  ];
  const sig = signature(
    { method: p.method, path, query, headers: { host: url.host }, signedHeaders: ["host"], payloadHash: UNSIGNED_PAYLOAD, amzDate, scope },
    p.secretKey,
  );
  return `${url.origin}${path}?${canonicalQuery([...query, ["X-Amz-Signature", sig]])}`;
}
