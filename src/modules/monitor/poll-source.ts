import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryTrigger, TriggerSource } from "./delivery-triggers.js";

export interface PollSourceOptions {
  intervalMs: number;
  /** One look at the source project(s): the ids of analyses to deliver now; empty when nothing is new. */
  look(): Promise<readonly string[]>;
  /** A look that failed (ICA down, a key rotated): logged, and the poll goes on. */
  onError(error: unknown): void;
}

/**
 * The fast path's backstop: a look every `intervalMs`, a trigger when it finds something. Looks never
 * overlap: a slow answer (or a consumer slow to take the trigger) delays the next look.
 */
export class PollSource implements TriggerSource {
  readonly name = "poll";
  private readonly stop = new AbortController();

  constructor(private readonly options: PollSourceOptions) {}

  async *triggers(signal: AbortSignal): AsyncIterable<DeliveryTrigger> {
    const either = AbortSignal.any([signal, this.stop.signal]);
    while (!either.aborted) {
      try {
        await sleep(this.options.intervalMs, undefined, { signal: either });
      } catch {
        return; // aborted while waiting
      }
      const found = await this.options.look().catch((error: unknown) => {
        this.options.onError(error);
        return [];
      });
      if (found.length > 0 && !either.aborted) yield pollTrigger(found);
    }
  }

  close(): Promise<void> {
    this.stop.abort();
    return Promise.resolve();
  }
}

function pollTrigger(analysisIds: readonly string[]): DeliveryTrigger {
  return {
    source: "poll",
    analysisIds,
    // Nothing to acknowledge: an analysis a delivery cycle left undelivered is retried by the full cycle.
    settle: () => Promise.resolve(),
  };
}
