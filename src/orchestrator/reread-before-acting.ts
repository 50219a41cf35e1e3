import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, NetworkError, RateLimitedError, ServerError } from "../http/errors.js";
import { defaultRetryPolicy, isAmbiguousFailure } from "../http/retry-policy.js";
import type { ActionLog, ActionTarget } from "./action-log.js";

/**
 * What a fresh read says about the item an irreversible call is about to act on: still as the plan
 * saw it, already in the state the call would bring it to, or changed by someone (`why` says how).
 * @internal exported for the tests
 */
export type Basis = { state: "unchanged" } | { state: "done" } | { state: "changed"; why: string };

export interface RereadCall {
  /**
   * Reads the item again: right before the first attempt (`called` false) and after each failure
   * (`called` true, when the state the call brings about counts as done).
   */
  reread(called: boolean): Promise<Basis>;
  /** The irreversible call itself, sent with `replay: "never"` so the transport never repeats it. */
  call(): Promise<void>;
  /** Further attempts after a failure that left the basis unchanged (default 1). */
  retries?: number;
  /** Injected by tests; waits out a server's `Retry-After`. */
  wait?: (ms: number) => Promise<void>;
}

/**
 * `done`: the call succeeded, or a re-read after an ambiguous failure shows it took effect.
 * `already`: the first read found the work done (by someone else); no call was made.
 * `skipped`: the item changed since it was planned; no call was made, `why` is for the report.
 */
export type RereadOutcome =
  | { outcome: "done"; confirmedByReread: boolean }
  | { outcome: "already" }
  | { outcome: "skipped"; why: string };

/**
 * People act alongside the tool, so an irreversible call is never made on a stale picture and never
 * replayed blindly: before each attempt the item is read again, and after a failure that may have done
 * the work or made us wait (timeout, reset, 5xx, 429, 503) it is read again before anything else is
 * decided. A definite rejection (other 4xx) is thrown at once; so is the last failure when the retries
 * are spent and the read shows the work not done.
 */
export async function rereadBeforeActing(spec: RereadCall): Promise<RereadOutcome> {
  const retries = spec.retries ?? 1;
  const wait = spec.wait ?? ((ms: number) => sleep(ms));
  let failure: unknown;
  for (let attempt = 0; ; attempt += 1) {
    const basis = await spec.reread(attempt > 0);
    if (basis.state === "done") return attempt === 0 ? { outcome: "already" } : { outcome: "done", confirmedByReread: true };
    if (basis.state === "changed") return { outcome: "skipped", why: basis.why };
    if (attempt > retries) throw failure;
    try {
      await spec.call();
      return { outcome: "done", confirmedByReread: false };
    } catch (error) {
      if (!worthRereading(error)) throw error;
      failure = error;
      await wait(waitAfter(error));
    }
  }
}

/**
 * rereadBeforeActing with every call audited through the action log; a failure that a re-read shows
 * took effect is audited again as ok, so the audit log says what really happened.
 */
export async function auditedRereadCall(
  actions: ActionLog,
  step: string,
  target: ActionTarget,
  spec: Omit<RereadCall, "call"> & { call(): Promise<unknown> },
): Promise<RereadOutcome> {
  const outcome = await rereadBeforeActing({
    ...spec,
    call: async () => {
      await actions.perform(step, target, spec.call);
    },
  });
  if (outcome.outcome === "done" && outcome.confirmedByReread) {
    await actions.record(step, target, "ok", "confirmed by reading it again after an ambiguous failure");
  }
  return outcome;
}

/** A failure after which the work may have been done, or the world may have changed while we waited. */
function worthRereading(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.retryAfterMs !== undefined && error.retryAfterMs > defaultRetryPolicy.maxRetryAfterMs) return false;
  return (
    isAmbiguousFailure(error) ||
    error instanceof RateLimitedError ||
    (error instanceof ServerError && error.status === 503) ||
    error instanceof NetworkError
  );
}

function waitAfter(error: unknown): number {
  return error instanceof ApiError && error.retryAfterMs !== undefined ? error.retryAfterMs : 0;
}
