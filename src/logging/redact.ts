/** @internal exported for the tests */
export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not registered: replacing every "ab" in a log would destroy it. */
const minSecretLength = 4;

/** Object keys whose value is a credential whatever it looks like (compared without case, `-` or `_`). */
const sensitiveKeys = new Set(
  [
    "authorization",
    "apiKey",
    "xApiKey",
    "accessToken",
    "xAccessToken",
    "token",
    "accessKey",
    "accessKeyId",
    "secretKey",
    "secretAccessKey",
    "sessionToken",
    "securityToken",
    "password",
    "cookie",
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.replace(/[-_]/g, "").toLowerCase();
}

/**
 * Credentials recognisable by their shape, so that values we were never told about (a presigned URL
 * minted by the server, a token echoed back in an error body) are still caught. Each keeps the name
 * and separator (group 1) and replaces only the value.
 */
const secretPatterns: RegExp[] = [
  // Presigned S3 URLs: the signature, credential and session token query parameters.
  /(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi,
  // BaseSpace accepts the token as a query parameter.
  /([?&]access_token=)[^&\s"'<>]+/gi,
  // HTTP headers as printed by clients and in request dumps.
  /(\bAuthorization\s*:\s*(?:Bearer|Basic)\s+)[^\s"',;]+/gi,
  /(\b(?:X-API-Key|x-access-token)\s*:\s*)[^\s"',;]+/gi,
  // The same headers or fields inside serialised JSON: "x-api-key":"value".
  /("(?:x-api-key|x-access-token|authorization|accessToken|apiKey|sessionToken|secretAccessKey|secretKey)"\s*:\s*")[^"]*/gi,
  // `bs` config files and shell-style assignments: `accessToken = value`.
  /(\b(?:accessToken|x-api-key|aws_secret_access_key|aws_session_token)\s*=\s*)\S+/gi,
  // A bearer token anywhere else in free text.
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/g,
];

/**
 * Replaces credentials with `[REDACTED]` in strings and, recursively, in objects and errors. Knows
 * the configured secrets (plus their URL-encoded and base64 forms, as they appear in URLs and
 * Basic auth headers) and the credential patterns above. Instances, not a module global, so that
 * tests and concurrent cycles do not share state.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  private secretsByLength: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a secret value (e.g. temporary S3 credentials obtained during a cycle). */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < minSecretLength) return;
    const forms = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
    ];
    for (const form of forms) this.secrets.add(form);
    // Longest first, so a secret that contains another is replaced whole.
    this.secretsByLength = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secretsByLength) out = out.split(secret).join(REDACTED);
    for (const pattern of secretPatterns) out = out.replace(pattern, `$1${REDACTED}`);
    return out;
  }

  /**
   * Returns a redacted copy of `value`: strings redacted, values under sensitive keys replaced,
   * errors turned into plain objects carrying name, message, stack, cause and their own fields.
   * Never mutates the input; cycles become "[Circular]".
   */
  redactDeep<T>(value: T): T {
    return this.walk(value, new WeakSet()) as T;
  }

  /** Redacts one field of an object: the whole value when the key names a credential. */
  redactProperty(key: string, value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
    return sensitiveKeys.has(normalizeKey(key)) && value != null ? REDACTED : this.walk(value, seen);
  }

  private walk(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === "string") return this.redact(value);
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return "[Circular]";
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.walk(item, seen));
      if (value instanceof Date) return value;
      if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
      const out: Record<string, unknown> = {};
      if (value instanceof Error) {
        out.name = value.name;
        out.message = this.redact(value.message);
        if (value.stack !== undefined) out.stack = this.redact(value.stack);
        if (value.cause !== undefined) out.cause = this.walk(value.cause, seen);
      }
      for (const [key, inner] of Object.entries(value)) out[key] = this.redactProperty(key, inner, seen);
      return out;
    } finally {
      seen.delete(value);
    }
  }
}

/** Drops query strings from any URL-looking text: presigned URLs carry their signature there. */
export function stripQueryStrings(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/g, "$1?[query removed]");
}
