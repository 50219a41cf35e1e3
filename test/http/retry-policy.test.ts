import { describe, expect, it } from "vitest";
import {
  AuthError,
  BadRequestError,
  ConflictError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  type ApiErrorFields,
} from "../../src/http/errors.js";
import {
  defaultRetryPolicy,
  isAmbiguousFailure,
  parseRetryAfter,
  retryDelayMs,
  shouldRetry,
} from "../../src/http/retry-policy.js";

const base: ApiErrorFields = { service: "ica", method: "POST", route: "/api/x", attempts: 1 };
const policy = defaultRetryPolicy;

describe("shouldRetry", () => {
  it("retries 429 and 503 whatever the request, since nothing was done", () => {
    for (const replaySafe of [true, false]) {
      expect(shouldRetry(new RateLimitedError({ ...base, status: 429 }), { replaySafe, policy })).toBe(true);
      expect(shouldRetry(new ServerError({ ...base, status: 503 }), { replaySafe, policy })).toBe(true);
      expect(shouldRetry(new NetworkError({ ...base, code: "ECONNREFUSED" }), { replaySafe, policy })).toBe(true);
    }
  });

  it("never retries an irreversible call (replay: never) unless it never left", () => {
    const opts = { replaySafe: true, replay: "never" as const, policy };
    for (const error of [
      new RateLimitedError({ ...base, status: 429 }),
      new ServerError({ ...base, status: 503 }),
      new ServerError({ ...base, status: 500 }),
      new NetworkError({ ...base, code: "ECONNRESET" }),
      new TimeoutError({ ...base, code: "ETIMEDOUT" }),
    ]) {
      expect(shouldRetry(error, opts), error.message).toBe(false);
    }
    expect(shouldRetry(new NetworkError({ ...base, code: "ECONNREFUSED" }), opts)).toBe(true);
  });

  it("retries ambiguous failures only when a replay cannot duplicate anything", () => {
    const ambiguous = [
      new ServerError({ ...base, status: 500 }),
      new ServerError({ ...base, status: 502 }),
      new NetworkError({ ...base, code: "ECONNRESET" }),
      new TimeoutError({ ...base, code: "ETIMEDOUT" }),
    ];
    for (const error of ambiguous) {
      expect(isAmbiguousFailure(error)).toBe(true);
      expect(shouldRetry(error, { replaySafe: true, policy })).toBe(true);
      expect(shouldRetry(error, { replaySafe: false, policy })).toBe(false);
    }
  });

  it("never retries other 4xx or invalid responses", () => {
    const final = [
      new BadRequestError({ ...base, status: 400 }),
      new AuthError({ ...base, status: 401 }),
      new AuthError({ ...base, status: 403 }),
      new NotFoundError({ ...base, status: 404 }),
      new ConflictError({ ...base, status: 409 }),
      new BadRequestError({ ...base, status: 422 }),
      new InvalidResponseError({ ...base, status: 200, fieldPath: "items", problem: "missing" }),
      new Error("not an API error"),
    ];
    for (const error of final) expect(shouldRetry(error, { replaySafe: true, policy })).toBe(false);
  });

  it("gives up at once when Retry-After asks for more than the policy accepts", () => {
    const tooLong = new RateLimitedError({ ...base, status: 429, retryAfterMs: policy.maxRetryAfterMs + 1 });
    expect(shouldRetry(tooLong, { replaySafe: true, policy })).toBe(false);
  });
});

describe("retryDelayMs", () => {
  it("is full jitter: uniform in [0, min(max, base·2^(n-1)))", () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(1, undefined, p, () => 0)).toBe(0);
    expect(retryDelayMs(1, undefined, p, () => 0.999)).toBe(99);
    expect(retryDelayMs(3, undefined, p, () => 0.5)).toBe(200);
    expect(retryDelayMs(10, undefined, p, () => 0.999)).toBe(999);
  });

  it("obeys Retry-After exactly", () => {
    expect(retryDelayMs(4, 1500, policy, () => 0.1)).toBe(1500);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, ignores garbage", () => {
    const now = Date.parse("2024-05-29T10:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 29 May 2024 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Wed, 29 May 2024 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
