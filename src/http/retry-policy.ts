import { ApiError, NetworkError, RateLimitedError, ServerError } from "./errors.js";

/**
 * When and how long to retry, as pure functions so the policy can be read (and tested) without a network.
 *
 * - 429 and 503 mean "rejected before doing anything" (a rate limiter or an unavailable backend), so any
 *   request may be retried after them, `Retry-After` honoured.
 * - A refused connection never reached the server: always safe to retry.
 * - Other 5xx, resets and timeouts are AMBIGUOUS: the server may have done the work. They are retried
 *   only for requests whose repetition cannot create a duplicate (`replaySafe`: reads, PUT/DELETE,
 *   creates guarded by an Idempotency-Key). Callers of unsafe creates resolve the ambiguity themselves by
 *   looking the thing up (see the data-transfer module).
 * - Any other 4xx and invalid responses are final.
 * - A request sent with `replay: "never"` (irreversible or billed calls: archive, delete, trash, empty
 *   trash, restore) is not retried at all unless it never left: even after a 429 the world may have
 *   changed during the wait (a person trashed something, restored something), so its caller re-reads
 *   and re-decides instead (orchestrator/irreversible-call.ts).
 */
export interface RetryPolicy {
  /** Retries after the first attempt (the retry budget of one request). */
  maxRetries: number;
  /** First backoff ceiling; attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown at once. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

/** Network codes meaning the request never left or was never accepted, so repeating it is always safe. */
const neverSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export function shouldRetry(
  error: unknown,
  opts: { replaySafe: boolean; replay?: "never"; policy: RetryPolicy },
): boolean {
  if (!(error instanceof ApiError)) return false;
  if (opts.replay === "never") return error instanceof NetworkError && !isAmbiguousFailure(error);
  if (error.retryAfterMs !== undefined && error.retryAfterMs > opts.policy.maxRetryAfterMs) return false;
  if (error instanceof RateLimitedError) return true;
  if (error instanceof ServerError && error.status === 503) return true;
  if (error instanceof NetworkError && !isAmbiguousFailure(error)) return true;
  return isAmbiguousFailure(error) && opts.replaySafe;
}

/**
 * A failure after which the server may or may not have done the work: a 5xx other than 503, a reset,
 * a timeout. A refused connection and 429/503 are not ambiguous (nothing was done).
 */
export function isAmbiguousFailure(error: unknown): boolean {
  if (error instanceof ServerError) return error.status !== 503;
  if (error instanceof NetworkError) return !(error.code !== undefined && neverSentCodes.has(error.code));
  return false;
}

/**
 * Delay before retry number `attempt` (1 = the first retry). Exponential backoff with FULL jitter
 * (uniform in [0, cap)): it spreads simultaneous retries of many callers best (AWS architecture blog,
 * "Exponential Backoff And Jitter"). A server-given `Retry-After` is obeyed exactly instead.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
