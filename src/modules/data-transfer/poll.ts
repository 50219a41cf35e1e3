import { setTimeout as delay } from "node:timers/promises";

/** A wait for an asynchronous ICA/BaseSpace change ran out of time. The change itself may still finish. */
export class DeadlineExceededError extends Error {
  constructor(
    readonly what: string,
    readonly deadlineMs: number,
    readonly lastState: string,
  ) {
    super(
      `${what} did not finish within ${Math.round(deadlineMs / 1000)} s (last state: ${lastState}); it may still finish — check it again later or raise the deadline`,
    );
    this.name = "DeadlineExceededError";
  }
}

export interface PollOptions {
  /** Give up after this long (default 10 min). */
  deadlineMs?: number;
  /** First wait; each later wait is `factor` times longer, up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called after each read that is not done yet, with its state: for progress displays. */
  onPoll?: (state: string) => void;
  /**
   * A shutdown request: the wait ends at once with the signal's reason. The change being waited for
   * goes on on the server; whoever journaled it looks again next time.
   */
  signal?: AbortSignal;
}

const defaultPollOptions = {
  deadlineMs: 10 * 60_000,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 1.5,
} as const;

/**
 * Reads until `isDone` holds, backing off between reads, and throws DeadlineExceededError (with the
 * last state `describe` gives) when the next wait would pass the deadline. An aborted `signal` ends
 * the wait (and any later read) with its reason.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  describe: (value: T) => string,
  opts: PollOptions = {},
): Promise<T> {
  const o = { ...defaultPollOptions, ...opts };
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => abortableSleep(ms, opts.signal));
  const start = now();
  let delay = o.initialDelayMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const value = await read();
    if (isDone(value)) return value;
    if (now() - start + delay > o.deadlineMs) throw new DeadlineExceededError(what, o.deadlineMs, describe(value));
    opts.onPoll?.(describe(value));
    await sleep(delay);
    delay = Math.min(o.maxDelayMs, delay * o.factor);
  }
}

async function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    // timers/promises rejects with its own AbortError; the caller wants the signal's reason.
    signal?.throwIfAborted();
    throw error;
  }
}
