import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import pLimit, { type LimitFunction } from "p-limit";
import pRetry from "p-retry";
import type { z } from "zod";
import {
  ApiError,
  InvalidResponseError,
  notJsonField,
  NetworkError,
  TimeoutError,
  errorForStatus,
  withGiveUpReason,
  oneLine,
  type ServiceName,
} from "./errors.js";
import { keepAliveAgents } from "./keep-alive-agents.js";
import { buildQuery, expandPath, type QueryValue } from "./path-template.js";
import { SecretRedactor, stripQueryStrings } from "../logging/redact.js";
import { RequestStats } from "./request-stats.js";
import { parseResponse, type Endpoint } from "./response-schema.js";
import { defaultRetryPolicy, parseRetryAfter, retryDelayMs, shouldRetry, type RetryPolicy } from "./retry-policy.js";

type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** What a service's error body says, in the terms every ApiError uses. */
export interface ErrorBodyInfo {
  title?: string;
  detail?: string;
  requestId?: string;
}

/** What a service client lets its caller tune; the client fills in the rest of TransportOptions. */
export interface ClientTuning {
  /** Per request, covering connect and response (default 30 s). */
  timeoutMs?: number;
  /** Requests of this transport in flight at once, shared by all its callers (default 8). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  stats?: RequestStats;
  /** Items per listing page (each API's maximum by default, to keep the number of calls down). */
  pageSize?: number;
  /** Injected in tests: jitter source and the sleep between retries. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TransportOptions extends Omit<ClientTuning, "pageSize"> {
  service: ServiceName;
  /** Prefix of every `route`; omit for a transport that only sends absolute (presigned) URLs. */
  baseUrl?: string;
  /** Sent on every request (authentication). Never copied into errors or stats. */
  headers?: Readonly<Record<string, string>>;
  /** Masked in any server text that ends up in an error message. */
  secrets?: readonly string[];
  readErrorBody?: (body: unknown) => ErrorBodyInfo;
  /**
   * `Accept` (and body `Content-Type`) of a request that names no `mediaType`. Without it every request
   * must name one: ICA documents a vendor type per operation, and a silent `application/json` would hide
   * a missing one until the service refuses it.
   */
  defaultMediaType?: string;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path template relative to `baseUrl`; also the name under which the call is counted and reported. */
  route: string;
  params?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, QueryValue>>;
  /** JSON-encoded, except a Buffer which is sent as is. */
  body?: unknown;
  /** Sent as `Accept`, and as `Content-Type` when there is a body (ICA versions must match on both). */
  mediaType?: string;
  headers?: Readonly<Record<string, string>>;
  /**
   * Whether sending this request twice cannot do anything twice. Defaults to true except for POST.
   * Only replay-safe requests are retried after an ambiguous failure (reset, timeout, 500).
   */
  replaySafe?: boolean;
  /** `"never"`: irreversible or billed; not retried even after 429/503 (see shouldRetry). */
  replay?: "never";
  /** An absolute URL to call instead of `baseUrl + route` (presigned URLs); `route` then only names it. */
  url?: string;
}

const defaultTimeoutMs = 30_000;
const defaultConcurrency = 8;

const requestIdHeaders = ["x-request-id", "x-amzn-requestid", "x-amz-request-id", "request-id"];

/**
 * The one HTTP core under both clients: axios for I/O, a p-limit gate shared by every caller of the
 * service, p-retry driven by the pure policy in retry-policy.ts, typed errors, zod at the boundary and
 * per-route counts. Nothing in here knows ICA or BaseSpace; the clients pass what differs.
 */
export class HttpTransport {
  readonly service: ServiceName;
  readonly stats: RequestStats;
  private readonly axios: AxiosInstance;
  private readonly limit: LimitFunction;
  private readonly policy: RetryPolicy;
  private readonly redactor: SecretRedactor;
  private readonly timeoutMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readErrorBody: (body: unknown) => ErrorBodyInfo;
  private readonly defaultMediaType: string | undefined;

  constructor(opts: TransportOptions) {
    this.service = opts.service;
    this.stats = opts.stats ?? new RequestStats();
    this.policy = { ...defaultRetryPolicy, ...opts.retry };
    this.redactor = new SecretRedactor(opts.secrets);
    this.timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
    this.random = opts.random ?? Math.random;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.readErrorBody = opts.readErrorBody ?? (() => ({}));
    this.defaultMediaType = opts.defaultMediaType;
    const concurrency = opts.concurrency ?? defaultConcurrency;
    this.limit = pLimit(concurrency);
    this.axios = axios.create({
      baseURL: opts.baseUrl?.replace(/\/+$/, ""),
      headers: { ...opts.headers },
      // Redirects are refused: follow-redirects forwards custom headers such as X-API-Key to the new host.
      maxRedirects: 0,
      responseType: "arraybuffer",
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
      ...keepAliveAgents(concurrency),
    });
  }

  /** Sends the request and validates the JSON answer against `schema`. */
  async json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>> {
    return this.send(spec, (res, endpoint) => parseResponse(schema, decodeJson(res, endpoint), endpoint));
  }

  /** Sends a request whose answer has no body we read (204, BaseSpace's bare strings). */
  async empty(spec: RequestSpec): Promise<void> {
    await this.send(spec, () => undefined);
  }

  /** Sends the request and returns the raw body (downloads). */
  async bytes(spec: RequestSpec): Promise<Buffer> {
    return this.send(spec, bodyBytes);
  }

  private async send<T>(
    spec: RequestSpec,
    read: (res: AxiosResponse, endpoint: Endpoint & { status: number; attempts: number }) => T,
  ): Promise<T> {
    const mediaType = spec.mediaType ?? this.defaultMediaType;
    if (mediaType === undefined) throw new Error(`${this.service} ${spec.method} ${spec.route}: the request names no media type; give it the one its operation documents`);
    const replaySafe = spec.replaySafe ?? spec.method !== "POST";
    const retryOpts = { replaySafe, ...(spec.replay ? { replay: spec.replay } : {}), policy: this.policy };
    const path = spec.url ?? expandPath(spec.route, spec.params);
    try {
      return await pRetry((attempt) => this.limit(() => this.attempt({ ...spec, mediaType }, path, attempt, read)), {
        retries: this.policy.maxRetries,
        // p-retry's own backoff is switched off: the wait happens in shouldRetry so that it can follow
        // Retry-After and full jitter, and so that no slot of the concurrency gate is held while waiting.
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (!shouldRetry(error, retryOpts)) return false;
          const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
          await this.sleep(retryDelayMs(attemptNumber, retryAfter, this.policy, this.random));
          return true;
        },
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > this.policy.maxRetryAfterMs) {
        throw withGiveUpReason(error, { retryAfterTooLong: true });
      }
      if (error.attempts > this.policy.maxRetries && shouldRetry(error, retryOpts)) {
        throw withGiveUpReason(error, { budgetExhausted: true });
      }
      throw error;
    }
  }

  private async attempt<T>(
    spec: RequestSpec & { mediaType: string },
    path: string,
    attempt: number,
    read: (res: AxiosResponse, endpoint: Endpoint & { status: number; attempts: number }) => T,
  ): Promise<T> {
    const endpoint: Endpoint = { service: this.service, method: spec.method, route: spec.route };
    this.stats.started(this.service, spec.method, spec.route, attempt > 1);
    let ok = false;
    try {
      let res: AxiosResponse;
      const sentAt = Date.now();
      try {
        res = await this.axios.request({
          method: spec.method,
          url: path,
          params: spec.query ? buildQuery(spec.query) : undefined,
          data: encodeBody(spec.body),
          headers: requestHeaders(spec),
          timeout: this.timeoutMs,
        });
      } catch (error) {
        throw this.networkError(error, endpoint, attempt);
      }
      // Error answers carry the server's time too; the cycle checks the local clock against it.
      this.stats.serverClock.observe(headerText(res.headers["date"]), sentAt, Date.now());
      if (res.status >= 300) throw this.statusError(res, endpoint, attempt);
      const out = read(res, { ...endpoint, status: res.status, attempts: attempt });
      ok = true;
      return out;
    } finally {
      this.stats.finished(this.service, spec.method, spec.route, ok);
    }
  }

  /**
   * Axios errors carry the request config, auth headers included; they are never rethrown or kept as
   * `cause`. Only the error code and a cleaned message survive.
   */
  private networkError(error: unknown, endpoint: Endpoint, attempts: number): ApiError {
    const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : undefined;
    const rawMessage = error instanceof Error ? error.message : String(error);
    const detail = this.clean(rawMessage);
    const fields = { ...endpoint, code: code ?? "ENETWORK", detail, attempts };
    return code === "ETIMEDOUT" || code === "ECONNABORTED"
      ? new TimeoutError({ ...fields, detail: `no response within ${this.timeoutMs} ms` })
      : new NetworkError(fields);
  }

  private statusError(res: AxiosResponse, endpoint: Endpoint, attempts: number): ApiError {
    const body = tryJson(res);
    const info = body === undefined ? {} : this.readErrorBody(body);
    const headerId = requestIdHeaders.map((h) => res.headers[h]).find((v): v is string => typeof v === "string");
    const retryAfter = res.headers["retry-after"];
    return errorForStatus({
      ...endpoint,
      status: res.status,
      title: this.clean(info.title),
      detail: this.clean(info.detail),
      requestId: this.clean(info.requestId ?? headerId),
      retryAfterMs: parseRetryAfter(typeof retryAfter === "string" ? retryAfter : undefined, Date.now()),
      attempts,
    });
  }

  /** Server text as it may appear in an error: secrets masked, URL queries dropped, one line. */
  private clean<T extends string | undefined>(text: T): T {
    return (text === undefined ? undefined : oneLine(stripQueryStrings(this.redactor.redact(text)))) as T;
  }
}

function headerText(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `false` tells axios not to send a header (it would add a form Content-Type to a body-less POST). */
function requestHeaders(spec: RequestSpec & { mediaType: string }): Record<string, string | false> {
  const { mediaType } = spec;
  const headers: Record<string, string | false> = { Accept: mediaType, ...spec.headers };
  if (spec.body === undefined) headers["Content-Type"] = false;
  else if (!("Content-Type" in headers)) headers["Content-Type"] = Buffer.isBuffer(spec.body) ? "application/octet-stream" : mediaType;
  return headers;
}

function encodeBody(body: unknown): string | Buffer | undefined {
  if (body === undefined || Buffer.isBuffer(body)) return body;
  return JSON.stringify(body);
}

/**
 * The body as axios read it. On Node that is already a Buffer (responseType "arraybuffer"), and
 * `Buffer.from` of a Buffer copies it: a third copy of every page (after the socket's chunks and
 * axios's concatenation), eight pages at a time, which at a million files was tens of megabytes of
 * malloc'd memory that the process then kept.
 */
function bodyBytes(res: AxiosResponse): Buffer {
  const data = res.data as Buffer | ArrayBuffer;
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function tryJson(res: AxiosResponse): unknown {
  const text = bodyBytes(res).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function decodeJson(res: AxiosResponse, endpoint: Endpoint & { status: number; attempts: number }): unknown {
  const text = bodyBytes(res).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidResponseError({ ...endpoint, fieldPath: notJsonField, problem: "is not valid JSON" });
  }
}
