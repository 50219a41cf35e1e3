import type { Logger } from "winston";
import type { DeliveryTrigger } from "../modules/monitor/index.js";
import type { CycleKind } from "../orchestrator/index.js";

/** Runs one cycle of a kind; resolves "handled" when it did its work, "retry" when it failed (it never throws). */
export type CycleRunner = (kind: CycleKind) => Promise<"handled" | "retry">;

/**
 * The cycles of one `watch` process, one at a time (the state lock does the same across processes).
 * A cycle asked for while another runs waits and then starts at once, in the order asked: a delivery
 * that comes during a full cycle runs right after it, a full-cycle tick during a delivery too. Waiting
 * requests of a kind are one cycle: triggers that pile up are delivered together, a second tick
 * while one already waits adds nothing. Every trigger is settled once its delivery cycle has ended.
 *
 * Delivery cycles start at most once per `minDeliveryIntervalMs` (min_delivery_interval_seconds): a
 * delivery asked for sooner waits for the rest of the interval, gathering every trigger that comes
 * meanwhile, so however many events arrive (a flood, forged ones: the HTTP channel cannot authenticate
 * a sender) they start at most one delivery cycle per interval. A full cycle waiting behind a held
 * delivery does not wait for it.
 */
export class CycleQueue {
  private running: Promise<void> | undefined;
  private readonly waiting: CycleKind[] = [];
  private triggers: DeliveryTrigger[] = [];
  private closed = false;
  private lastDeliveryStartMs = Number.NEGATIVE_INFINITY;
  private floorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly minDeliveryIntervalMs: number;

  constructor(
    private readonly run: CycleRunner,
    private readonly logger: Logger,
    options: { minDeliveryIntervalMs?: number } = {},
  ) {
    this.minDeliveryIntervalMs = options.minDeliveryIntervalMs ?? 0;
  }

  /** A full cycle (the schedule's tick). */
  requestFull(): void {
    if (this.running) this.logger.info(this.waiting.includes("full") ? "a cycle is already waiting: skipping this tick" : "a cycle is running: this tick's cycle starts when it ends");
    this.enqueue("full");
  }

  /** A delivery cycle for a trigger (poll, event). */
  requestDelivery(trigger: DeliveryTrigger): void {
    if (this.closed) {
      void this.settle([trigger], "retry");
      return;
    }
    this.triggers.push(trigger);
    this.enqueue("delivery");
  }

  /** Starts nothing more; waiting triggers are settled "retry"; resolves when the running cycle has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    clearTimeout(this.floorTimer);
    const left = this.triggers.splice(0);
    await this.settle(left, "retry");
    await this.running;
  }

  private enqueue(kind: CycleKind): void {
    if (this.closed) return;
    if (!this.waiting.includes(kind)) this.waiting.push(kind);
    this.pump();
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const kind = this.nextKind();
    if (kind === undefined) return;
    if (kind === "delivery") this.lastDeliveryStartMs = Date.now();
    const batch = kind === "delivery" ? this.triggers.splice(0) : [];
    this.running = this.run(kind)
      .then((outcome) => this.settle(batch, outcome))
      .finally(() => {
        this.running = undefined;
        this.pump();
      });
  }

  /** The waiting kind to start now, if any: a delivery inside the floor's interval is held (a timer pumps again when it ends). */
  private nextKind(): CycleKind | undefined {
    if (this.waiting[0] !== "delivery") return this.waiting.shift();
    const holdMs = this.lastDeliveryStartMs + this.minDeliveryIntervalMs - Date.now();
    if (holdMs <= 0) return this.waiting.shift();
    if (this.waiting.includes("full")) {
      this.waiting.splice(this.waiting.indexOf("full"), 1);
      return "full";
    }
    if (this.floorTimer === undefined) {
      this.logger.debug(`a delivery cycle started less than ${this.minDeliveryIntervalMs / 1000} s ago: the next starts in ${(holdMs / 1000).toFixed(1)} s (min_delivery_interval_seconds)`);
      this.floorTimer = setTimeout(() => {
        this.floorTimer = undefined;
        this.pump();
      }, holdMs);
    }
    return undefined;
  }

  private async settle(batch: readonly DeliveryTrigger[], outcome: "handled" | "retry"): Promise<void> {
    await Promise.all(
      batch.map((trigger) =>
        trigger.settle(outcome).catch((error: unknown) => this.logger.warn(`cannot settle a ${trigger.source} trigger: ${error instanceof Error ? error.message : String(error)}`)),
      ),
    );
  }
}
