/** The remote services the clients talk to; `s3` covers temporary-credential and presigned-URL traffic. */
export type ServiceName = "ica" | "basespace" | "s3";

const serviceLabel: Record<ServiceName, string> = { ica: "ICA", basespace: "BaseSpace", s3: "S3" };

/**
 * What an error may say about a failed call. `route` is always the path TEMPLATE
 * (`/api/projects/{projectId}/data`), never the concrete URL: concrete URLs of presigned links carry
 * signatures in their query strings, and templates also group errors the way the request stats do.
 */
export interface ApiErrorFields {
  service: ServiceName;
  method: string;
  route: string;
  status?: number;
  /** ICA Problem `title`, BaseSpace `ErrorCode`, S3 error code. */
  title?: string;
  /** ICA Problem `detail`, BaseSpace `ErrorMessage`/`Message`. */
  detail?: string;
  requestId?: string;
  /** Transport-level code for network failures (`ECONNRESET`, `ETIMEDOUT`, ...). */
  code?: string;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it said so. */
  retryAfterMs?: number;
  /** How many times the request was sent before giving up (1 = no retry). */
  attempts: number;
  /** Set when the error was retryable and the retry budget ran out. */
  budgetExhausted?: boolean;
  /** Set when `Retry-After` asked for a longer wait than the client accepts, so it did not retry. */
  retryAfterTooLong?: boolean;
}

/** Longest server-provided text kept in a message: one line, enough to act on. */
const maxServerTextLength = 300;

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > maxServerTextLength ? `${flat.slice(0, maxServerTextLength)}…` : flat;
}

/**
 * Base of every client error. Holds only plain data (no request config, no headers, no `cause`) so that
 * `JSON.stringify`/`util.inspect` of a thrown error can never reveal an API key, token or credential.
 */
export class ApiError extends Error implements ApiErrorFields {
  readonly service: ServiceName;
  readonly method: string;
  readonly route: string;
  readonly status?: number;
  readonly title?: string;
  readonly detail?: string;
  readonly requestId?: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly attempts: number;
  readonly budgetExhausted?: boolean;
  readonly retryAfterTooLong?: boolean;

  constructor(fields: ApiErrorFields, hint?: string) {
    super(formatMessage(fields, hint));
    this.name = new.target.name;
    this.service = fields.service;
    this.method = fields.method;
    this.route = fields.route;
    this.status = fields.status;
    this.title = fields.title;
    this.detail = fields.detail;
    this.requestId = fields.requestId;
    this.code = fields.code;
    this.retryAfterMs = fields.retryAfterMs;
    this.attempts = fields.attempts;
    this.budgetExhausted = fields.budgetExhausted;
    this.retryAfterTooLong = fields.retryAfterTooLong;
  }

  /** The fields this error was built from, to rebuild it with more context (see `withFields`). */
  fields(): ApiErrorFields {
    const { service, method, route, status, title, detail, requestId, code, retryAfterMs, attempts } = this;
    const { budgetExhausted, retryAfterTooLong } = this;
    return { service, method, route, status, title, detail, requestId, code, retryAfterMs, attempts, budgetExhausted, retryAfterTooLong };
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.fields() };
  }
}

function formatMessage(f: ApiErrorFields, hint?: string): string {
  const parts = [`${serviceLabel[f.service]} ${f.method} ${f.route} failed`];
  if (f.status !== undefined) parts.push(`with HTTP ${f.status}`);
  if (f.code) parts.push(`(${f.code})`);
  let message = parts.join(" ");
  const server = [f.title, f.detail].filter((s): s is string => Boolean(s)).map(oneLine);
  if (server.length > 0) message += `: ${server.join(" — ")}`;
  if (f.requestId) message += ` [request id ${oneLine(f.requestId)}]`;
  if (f.attempts > 1) message += ` after ${f.attempts} attempts`;
  if (f.budgetExhausted) message += " (retry budget exhausted)";
  return hint ? `${message}. ${hint}` : message;
}

/** 401/403: the key or token is wrong, expired or lacks a permission/scope. */
export class AuthError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(
      f,
      f.status === 403
        ? "The credentials are valid but not allowed to do this: check project access (ICA) or token scopes (BaseSpace)"
        : f.service === "ica"
          ? "Check the ICA API key"
          : "Check the BaseSpace access token (bs auth) or the temporary credentials",
    );
  }
}

export class NotFoundError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(f, "Check that the id or path exists and that these credentials can see it");
  }
}

/** The call's answer, or undefined when the service says there is no such thing (404); any other failure is thrown. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** 409: already exists, or (ICA Idempotency-Key) the first request with this key is still running. */
export class ConflictError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(f, "The resource already exists or is being changed by another request");
  }
}

/** Any other 4xx: the request itself is wrong; retrying it cannot help. */
export class BadRequestError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(f, "The request was rejected as invalid; retrying will not help");
  }
}

/** 429 that outlasted the retry budget (or asked for a longer wait than we accept). */
export class RateLimitedError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(
      f,
      f.retryAfterTooLong && f.retryAfterMs !== undefined
        ? `The server asked to wait ${Math.ceil(f.retryAfterMs / 1000)} s, longer than the client accepts; retry later`
        : "Still rate limited; lower the concurrency or retry later",
    );
  }
}

export class ServerError extends ApiError {
  constructor(f: ApiErrorFields) {
    super(f, "The service failed; retry later");
  }
}

/** The request never got an HTTP answer: refused, reset, DNS, TLS. */
export class NetworkError extends ApiError {
  constructor(f: ApiErrorFields, hint = "Could not reach the service; check the base URL and the network") {
    super(f, hint);
  }
}

/** No answer within the client timeout. A kind of network failure: the request may or may not have run. */
export class TimeoutError extends NetworkError {
  constructor(f: ApiErrorFields) {
    super(f, "No answer within the client timeout; raise the timeout or retry later");
  }
}

/** The `fieldPath` of an InvalidResponseError whose body could not be parsed as JSON at all. */
export const notJsonField = "(response body)";

/** A 2xx answer whose body does not match what the client relies on. */
export class InvalidResponseError extends ApiError {
  readonly fieldPath: string;

  constructor(f: ApiErrorFields & { fieldPath: string; problem: string }) {
    // A body that is not JSON at all is nearly always the wrong server (a proxy or login page answering
    // HTML), which the operator can fix; a JSON body of the wrong shape is an API change to report.
    const hint =
      f.fieldPath === notJsonField
        ? "The server did not answer with JSON; check that --server_url (ICA) or apiServer (BaseSpace) names the API itself, not a proxy or login page"
        : "The API's answer lacks what this tool relies on; check --server_url / apiServer, and report this message if it persists (schemas: src/ica/schemas.ts, src/basespace/schemas.ts)";
    super({ ...f, detail: `field \`${f.fieldPath}\`: ${f.problem}` }, hint);
    this.fieldPath = f.fieldPath;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fieldPath: this.fieldPath };
  }
}

/** Builds the error class that matches an HTTP status (>= 400). */
export function errorForStatus(f: ApiErrorFields & { status: number }): ApiError {
  if (f.status === 401 || f.status === 403) return new AuthError(f);
  if (f.status === 404 || f.status === 410) return new NotFoundError(f);
  if (f.status === 409) return new ConflictError(f);
  if (f.status === 429) return new RateLimitedError(f);
  if (f.status >= 500) return new ServerError(f);
  return new BadRequestError(f);
}

/**
 * The same error with the reason the client stopped retrying, keeping its class. Only the retryable
 * kinds (status-based and network) reach this; anything else is returned unchanged.
 */
export function withGiveUpReason(error: ApiError, reason: Pick<ApiErrorFields, "budgetExhausted" | "retryAfterTooLong">): ApiError {
  const f = { ...error.fields(), ...reason };
  if (error instanceof TimeoutError) return new TimeoutError(f);
  if (error instanceof NetworkError) return new NetworkError(f);
  if (f.status !== undefined && (error instanceof RateLimitedError || error instanceof ServerError)) {
    return errorForStatus({ ...f, status: f.status });
  }
  return error;
}
