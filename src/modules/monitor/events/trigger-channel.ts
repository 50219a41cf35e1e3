import type { DeliveryTrigger } from "../delivery-triggers.js";

/** Triggers waiting to be taken: more than this means the consumer is far behind, and the log makes up for what is dropped. */
const DEFAULT_CAPACITY = 1_000;

/**
 * Hands pushed triggers (HTTP deliveries) to the one consumer of a TriggerSource, in order. Bounded:
 * past its capacity a trigger is dropped and `overflowed` says a gap happened, which the source closes
 * by reading the event log.
 */
export class TriggerChannel {
  private readonly waiting: DeliveryTrigger[] = [];
  private wake: (() => void) | undefined;
  overflowed = false;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  push(trigger: DeliveryTrigger): void {
    if (this.waiting.length >= this.capacity) this.overflowed = true;
    else this.waiting.push(trigger);
    this.wake?.();
  }

  /** The next trigger, or undefined once the signal aborts. */
  async next(signal: AbortSignal): Promise<DeliveryTrigger | undefined> {
    while (!signal.aborted) {
      const trigger = this.waiting.shift();
      if (trigger) return trigger;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = undefined;
          signal.removeEventListener("abort", done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    return undefined;
  }
}
