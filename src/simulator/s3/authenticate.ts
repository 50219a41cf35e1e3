import { timingSafeEqual } from "node:crypto";
import type { ScopedCredentials } from "../context.js";
import type { SimRequest } from "../http/router.js";
import { BAD_TOKEN, EXPIRED_TOKEN, MAX_PRESIGN_SECONDS, MAX_REQUEST_SKEW_MS, REGION } from "./assumptions.js";
import type { CredentialRegistry } from "./credentials.js";
import { S3Error, accessDenied, invalidArgument } from "./s3-error.js";
import { ALGORITHM, canonicalPath, parseAmzDate, SERVICE, signature, UNSIGNED_PAYLOAD } from "./sigv4.js";

export interface Authenticated {
  credentials: ScopedCredentials;
  /** What the signer declared for the body: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* mode. */
  payloadHash: string;
}

/** The parts of a SigV4 signature, from the Authorization header or from presigned-URL query parameters. */
interface SignedParts {
  accessKey: string;
  scope: { date: string; region: string; service: string; terminator: string };
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  securityToken: string | undefined;
  payloadHash: string;
  /** Presigned URLs only. */
  expiresSeconds: number | undefined;
}

const malformedHeader = (message: string) => new S3Error(400, "AuthorizationHeaderMalformed", message);
const malformedQuery = (message: string) => new S3Error(400, "AuthorizationQueryParametersError", message);

const header = (req: SimRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

function parseCredential(credential: string, fail: (m: string) => S3Error): Pick<SignedParts, "accessKey" | "scope"> {
  const [accessKey, date, region, service, terminator, ...rest] = credential.split("/");
  if (!accessKey || !date || !region || !service || !terminator || rest.length > 0) {
    throw fail("the Credential must be <access key>/<yyyymmdd>/<region>/s3/aws4_request");
  }
  return { accessKey, scope: { date, region, service, terminator } };
}

function fromHeader(req: SimRequest, authorization: string): SignedParts {
  const m = /^(\S+) Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
  if (!m) throw malformedHeader("the Authorization header is not 'AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…'");
  if (m[1] !== ALGORITHM) throw invalidArgument(`unsupported authorization type ${m[1]}; sign with ${ALGORITHM}`);
  const amzDate = header(req, "x-amz-date");
  if (amzDate === undefined) throw accessDenied("AWS authentication requires a valid x-amz-date header");
  const payloadHash = header(req, "x-amz-content-sha256");
  if (payloadHash === undefined) throw new S3Error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  return {
    ...parseCredential(m[2] as string, malformedHeader),
    signedHeaders: (m[3] as string).split(";"),
    signature: m[4] as string,
    amzDate,
    securityToken: header(req, "x-amz-security-token"),
    payloadHash,
    expiresSeconds: undefined,
  };
}

function fromQuery(query: URLSearchParams): SignedParts {
  const get = (name: string) => {
    const value = query.get(name);
    if (value === null) throw malformedQuery(`the presigned URL lacks ${name}`);
    return value;
  };
  if (get("X-Amz-Algorithm") !== ALGORITHM) throw malformedQuery(`X-Amz-Algorithm must be ${ALGORITHM}`);
  const expires = get("X-Amz-Expires");
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_PRESIGN_SECONDS) {
    throw malformedQuery(`X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds`);
  }
  return {
    ...parseCredential(get("X-Amz-Credential"), malformedQuery),
    signedHeaders: get("X-Amz-SignedHeaders").split(";"),
    signature: get("X-Amz-Signature"),
    amzDate: get("X-Amz-Date"),
    securityToken: query.get("X-Amz-Security-Token") ?? undefined,
    payloadHash: query.get("X-Amz-Content-Sha256") ?? UNSIGNED_PAYLOAD,
    expiresSeconds: Number(expires),
  };
}

function checkScope(parts: SignedParts): void {
  const { scope, amzDate } = parts;
  if (scope.date !== amzDate.slice(0, 8)) throw malformedHeader(`the credential date ${scope.date} does not match the request date ${amzDate}`);
  if (scope.region !== REGION) throw malformedHeader(`the region '${scope.region}' is wrong; expecting '${REGION}'`);
  if (scope.service !== SERVICE || scope.terminator !== "aws4_request") throw malformedHeader("the credential scope must end with /s3/aws4_request");
}

function checkSignedHeaders(req: SimRequest, signed: string[]): void {
  if (!signed.includes("host")) throw accessDenied("the host header must be signed");
  const unsigned = Object.keys(req.headers).filter((name) => name.startsWith("x-amz-") && !signed.includes(name));
  if (unsigned.length > 0) {
    throw accessDenied(`There were headers present in the request which were not signed: ${unsigned.sort().join(", ")}`);
  }
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Verifies a request's SigV4 signature (Authorization header or presigned query) against credentials the
 * simulator issued. Says who signed; whether they may touch the key is authorize()'s job.
 */
export function authenticate(
  req: SimRequest,
  target: { bucket: string; key: string },
  registry: CredentialRegistry,
  nowMs: number,
): Authenticated {
  const authorization = header(req, "authorization");
  const presigned = req.query.has("X-Amz-Signature") || req.query.has("X-Amz-Algorithm");
  if (authorization !== undefined && presigned) throw invalidArgument("Only one auth mechanism allowed; use either the Authorization header or a presigned URL");
  if (authorization === undefined && !presigned) throw accessDenied("Anonymous access is refused: sign the request with the temporary credentials ICA issued");
  const parts = authorization !== undefined ? fromHeader(req, authorization) : fromQuery(req.query);
  checkScope(parts);
  const requestMs = parseAmzDate(parts.amzDate);
  if (requestMs === undefined) throw accessDenied(`X-Amz-Date '${parts.amzDate}' is not in the form yyyymmddThhmmssZ`);

  const credentials = registry.find(parts.accessKey);
  if (!credentials) throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  if (parts.securityToken !== credentials.sessionToken) {
    throw new S3Error(BAD_TOKEN.status, BAD_TOKEN.code, "The security token is missing or does not belong to the access key; send the session token issued with it");
  }
  checkSignedHeaders(req, parts.signedHeaders);

  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) headers[name] = header(req, name) ?? "";
  const expected = signature(
    {
      method: req.method,
      path: canonicalPath(target.bucket, target.key),
      query: [...req.query].filter(([k]) => k !== "X-Amz-Signature"),
      headers,
      signedHeaders: parts.signedHeaders,
      payloadHash: parts.payloadHash,
      amzDate: parts.amzDate,
      scope: parts.scope,
    },
    credentials.secretKey,
  );
  if (!sameSignature(expected, parts.signature)) {
    throw new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
  }
  // A presigned URL past its X-Amz-Expires is refused as such, even when its session token has expired
  // with it (the simulator presigns for the credentials' lifetime): clients recognise this answer.
  if (parts.expiresSeconds !== undefined && requestMs + parts.expiresSeconds * 1000 < nowMs) {
    throw accessDenied("Request has expired: presign a new URL");
  }
  if (credentials.expiresAtMs <= nowMs) {
    throw new S3Error(EXPIRED_TOKEN.status, EXPIRED_TOKEN.code, "The provided token has expired; ask ICA for new temporary credentials");
  }
  if (parts.expiresSeconds === undefined && Math.abs(nowMs - requestMs) > MAX_REQUEST_SKEW_MS) {
    throw new S3Error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  }
  return { credentials, payloadHash: parts.payloadHash };
}

/** May these credentials read (or write) this key? */
export function authorize(credentials: ScopedCredentials, key: string, access: "read" | "write"): void {
  if (!key.startsWith(credentials.objectPrefix)) {
    throw accessDenied(`Access Denied: these credentials only cover keys starting with '${credentials.objectPrefix}'`);
  }
  if (access === "write" && credentials.readOnly) throw accessDenied("Access Denied: these credentials are read-only");
}
