import type { FaultConfig, SimContext } from "../../context.js";
import { SeededRandom } from "../../fixtures/random.js";
import { queueNameOf } from "../../sqs/sqs-api.js";
import type { ChannelRecord } from "./notification-store.js";

/** What happened to deliveries, for `/__sim/state` counts. */
export interface DeliveryCounts {
  sent: number;
  lost: number;
  duplicated: number;
  failed: number;
  /** MAIL and SNS channels: accepted by the API, never delivered by the simulator. */
  notSimulated: number;
}

/**
 * Sends one notification to one channel, under the `events` fault options: drops it (`lossRate`),
 * sends it twice (`duplicateRate`), after `delayMs` plus a uniform share of `delayJitterMs` drawn for
 * each copy. The draws come from their own seeded streams, reseeded whenever the fault configuration
 * changes, so a run replays the same losses; two numbers are drawn per delivery so that turning one
 * rate on does not shift the other's draws, and the delays come from a stream of their own so that
 * turning the jitter on does not shift the losses. HTTP channels get a
 * JSON POST to their address (one attempt; a failure is counted, as ICA lists failed notifications);
 * SQS channels get a message on the simulator's own queue named by the address' last path segment.
 */
export class EventDelivery {
  readonly counts: DeliveryCounts = { sent: 0, lost: 0, duplicated: 0, failed: 0, notSimulated: 0 };
  private drawsFor: FaultConfig | undefined;
  private draws = new SeededRandom(0);
  private delayDraws = new SeededRandom(0);

  constructor(private readonly ctx: SimContext) {}

  send(channel: ChannelRecord, body: string): void {
    const faults = this.ctx.faults();
    if (faults !== this.drawsFor) {
      this.drawsFor = faults;
      this.draws = new SeededRandom((faults.seed ^ 0x0e7e27) >>> 0);
      this.delayDraws = new SeededRandom((faults.seed ^ 0xde1a7) >>> 0);
    }
    const lose = this.draws.next() < faults.events.lossRate;
    const duplicate = this.draws.next() < faults.events.duplicateRate;
    if (lose) {
      this.counts.lost++;
      return;
    }
    if (duplicate) this.counts.duplicated++;
    const { delayMs, delayJitterMs } = faults.events;
    for (let copy = duplicate ? 2 : 1; copy > 0; copy--) {
      const jitterMs = delayJitterMs > 0 ? Math.round(this.delayDraws.next() * delayJitterMs) : 0;
      this.later(delayMs + jitterMs, () => this.deliver(channel, body));
    }
  }

  private later(delayMs: number, run: () => Promise<void>): void {
    if (this.ctx.retired.aborted) return;
    const timer = setTimeout(() => {
      this.ctx.retired.removeEventListener("abort", cancel);
      void run();
    }, delayMs);
    const cancel = () => clearTimeout(timer);
    this.ctx.retired.addEventListener("abort", cancel, { once: true });
  }

  private async deliver(channel: ChannelRecord, body: string): Promise<void> {
    if (channel.type === "SQS") {
      this.ctx.queues.send(queueNameOf(channel.address), body);
      this.counts.sent++;
      return;
    }
    if (channel.type !== "HTTP") {
      this.counts.notSimulated++;
      return;
    }
    try {
      const response = await fetch(channel.address, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: this.ctx.retired,
      });
      await response.arrayBuffer();
      if (response.ok) this.counts.sent++;
      else this.counts.failed++;
    } catch {
      this.counts.failed++;
    }
  }
}
