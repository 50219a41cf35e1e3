import { describe, expect, it } from "vitest";
import { BadRequestError, RateLimitedError, TimeoutError, type ApiErrorFields } from "../../src/http/errors.js";
import { rereadBeforeActing, type Basis } from "../../src/orchestrator/reread-before-acting.js";

const base: ApiErrorFields = { service: "basespace", method: "DELETE", route: "/v2/trash", attempts: 1 };

/** Answers the reads in order and records every read and call. */
function scripted(reads: Basis[], calls: Array<Error | null>) {
  const log: string[] = [];
  const waits: number[] = [];
  return {
    log,
    waits,
    spec: {
      reread: async (called: boolean) => {
        log.push(`read${called ? " after call" : ""}`);
        return reads.shift() ?? { state: "unchanged" };
      },
      call: async () => {
        log.push("call");
        const outcome = calls.shift();
        if (outcome) throw outcome;
      },
      wait: async (ms: number) => {
        waits.push(ms);
      },
    },
  };
}

describe("rereadBeforeActing", () => {
  it("reads before the call and acts when nothing changed", async () => {
    const s = scripted([{ state: "unchanged" }], [null]);
    expect(await rereadBeforeActing(s.spec)).toEqual({ outcome: "done", confirmedByReread: false });
    expect(s.log).toEqual(["read", "call"]);
  });

  it("skips without a call when the item changed since it was planned", async () => {
    const s = scripted([{ state: "changed", why: "restored from the trash" }], []);
    expect(await rereadBeforeActing(s.spec)).toEqual({ outcome: "skipped", why: "restored from the trash" });
    expect(s.log).toEqual(["read"]);
  });

  it("after a timeout, records success when a re-read shows the work done, without a second call", async () => {
    const s = scripted([{ state: "unchanged" }, { state: "done" }], [new TimeoutError({ ...base, code: "ETIMEDOUT" })]);
    expect(await rereadBeforeActing(s.spec)).toEqual({ outcome: "done", confirmedByReread: true });
    expect(s.log).toEqual(["read", "call", "read after call"]);
  });

  it("after a 429 waits Retry-After, re-reads, and does not act when the item changed meanwhile", async () => {
    const s = scripted(
      [{ state: "unchanged" }, { state: "changed", why: "someone trashed an item" }],
      [new RateLimitedError({ ...base, status: 429, retryAfterMs: 1000 })],
    );
    expect(await rereadBeforeActing(s.spec)).toEqual({ outcome: "skipped", why: "someone trashed an item" });
    expect(s.log).toEqual(["read", "call", "read after call"]);
    expect(s.waits).toEqual([1000]);
  });

  it("tries once more when the re-read finds nothing changed, then gives up with the last failure", async () => {
    const failure = new RateLimitedError({ ...base, status: 429, retryAfterMs: 0 });
    const s = scripted([], [failure, failure]);
    await expect(rereadBeforeActing(s.spec)).rejects.toBe(failure);
    expect(s.log).toEqual(["read", "call", "read after call", "call", "read after call"]);
  });

  it("throws a definite rejection at once, with no second read", async () => {
    const rejection = new BadRequestError({ ...base, status: 400 });
    const s = scripted([], [rejection]);
    await expect(rereadBeforeActing(s.spec)).rejects.toBe(rejection);
    expect(s.log).toEqual(["read", "call"]);
  });
});
