import { afterEach, describe, expect, it, vi } from "vitest";
import type { FaultConfig, SimContext } from "../../src/simulator/context.js";
import { defaultFaultConfig } from "../../src/simulator/faults.js";
import { EventDelivery } from "../../src/simulator/ica/events/event-delivery.js";
import type { ChannelRecord } from "../../src/simulator/ica/events/notification-store.js";

afterEach(() => {
  vi.useRealTimers();
});

/** An EventDelivery on an SQS channel whose sends are recorded with the (fake) time they happened. */
function deliveryUnder(events: FaultConfig["events"]): { delivery: EventDelivery; channel: ChannelRecord; sentAtMs: number[] } {
  const faults: FaultConfig = { ...defaultFaultConfig(7), events };
  const sentAtMs: number[] = [];
  const ctx = { faults: () => faults, retired: new AbortController().signal, queues: { send: () => sentAtMs.push(Date.now()) } } as unknown as SimContext;
  const channel = { type: "SQS", address: "http://127.0.0.1:1/000000000000/ica-events", enabled: true } as ChannelRecord;
  return { delivery: new EventDelivery(ctx), channel, sentAtMs };
}

describe("EventDelivery delays", () => {
  it("spreads deliveries uniformly over delayMs … delayMs + delayJitterMs (public users see ICA's events 1–4 s late)", () => {
    vi.useFakeTimers({ now: 0 });
    const { delivery, channel, sentAtMs } = deliveryUnder({ delayMs: 1_000, delayJitterMs: 3_000, duplicateRate: 0, lossRate: 0 });
    for (let i = 0; i < 200; i++) delivery.send(channel, "{}");
    vi.advanceTimersByTime(999);
    expect(sentAtMs).toEqual([]);
    vi.advanceTimersByTime(3_001);
    expect(sentAtMs).toHaveLength(200);
    expect(Math.max(...sentAtMs)).toBeLessThanOrEqual(4_000);
    // Spread over the range, not bunched: each second of it gets a fair share of the 200.
    for (const second of [1, 2, 3]) expect(sentAtMs.filter((t) => t >= second * 1_000 && t < (second + 1) * 1_000).length).toBeGreaterThan(40);
  });

  it("sends every delivery after exactly delayMs without jitter", () => {
    vi.useFakeTimers({ now: 0 });
    const { delivery, channel, sentAtMs } = deliveryUnder({ delayMs: 2_500, delayJitterMs: 0, duplicateRate: 1, lossRate: 0 });
    delivery.send(channel, "{}");
    vi.advanceTimersByTime(2_500);
    expect(sentAtMs).toEqual([2_500, 2_500]);
  });
});
