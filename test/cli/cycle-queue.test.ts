import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, SecretRedactor } from "../../src/logging/index.js";
import { CycleQueue } from "../../src/cli/cycle-queue.js";
import type { DeliveryTrigger } from "../../src/modules/monitor/index.js";
import type { CycleKind } from "../../src/orchestrator/index.js";

/** A runner whose cycles end when the test says so, recording starts, ends and overlaps. */
function heldRunner(outcome: "handled" | "retry" = "handled") {
  const events: string[] = [];
  const pending: Array<() => void> = [];
  let running = 0;
  let overlapped = false;
  const run = (kind: CycleKind) => {
    events.push(`start ${kind}`);
    running += 1;
    overlapped ||= running > 1;
    return new Promise<"handled" | "retry">((resolve) =>
      pending.push(() => {
        running -= 1;
        events.push(`end ${kind}`);
        resolve(outcome);
      }),
    );
  };
  const finishOne = async () => {
    pending.shift()?.();
    // Let the queue settle the batch and start the next cycle.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { run, events, finishOne, overlapped: () => overlapped };
}

function trigger(settled: string[], name: string): DeliveryTrigger {
  return {
    source: "poll",
    analysisIds: [name],
    settle: (outcome) => {
      settled.push(`${name} ${outcome}`);
      return Promise.resolve();
    },
  };
}

const logger = createLogger({ redactor: new SecretRedactor([]), level: "error" });

describe("CycleQueue", () => {
  it("runs one cycle at a time: a delivery asked for during a full cycle runs right after it, a tick during a delivery too", async () => {
    const runner = heldRunner();
    const settled: string[] = [];
    const queue = new CycleQueue(runner.run, logger);
    queue.requestFull();
    queue.requestDelivery(trigger(settled, "a1"));
    queue.requestDelivery(trigger(settled, "a2"));
    expect(runner.events).toEqual(["start full"]);
    await runner.finishOne();
    // Both triggers in one delivery cycle, started as soon as the full cycle ended.
    expect(runner.events).toEqual(["start full", "end full", "start delivery"]);
    queue.requestFull();
    queue.requestFull(); // a second tick while one waits adds nothing
    await runner.finishOne();
    expect(settled).toEqual(["a1 handled", "a2 handled"]);
    expect(runner.events).toEqual(["start full", "end full", "start delivery", "end delivery", "start full"]);
    await runner.finishOne();
    expect(runner.events.at(-1)).toBe("end full");
    expect(runner.overlapped()).toBe(false);
    await queue.close();
  });

  it("settles a failed delivery's triggers \"retry\", and on close settles the waiting ones \"retry\" without running them", async () => {
    const runner = heldRunner("retry");
    const settled: string[] = [];
    const queue = new CycleQueue(runner.run, logger);
    queue.requestDelivery(trigger(settled, "a1"));
    queue.requestDelivery(trigger(settled, "a2"));
    queue.requestFull();
    expect(runner.events).toEqual(["start delivery"]);
    await runner.finishOne();
    expect(settled).toEqual(["a1 retry"]);
    // a2 arrived while a1's delivery ran: its own delivery cycle waits behind it, before the tick.
    expect(runner.events).toEqual(["start delivery", "end delivery", "start delivery"]);
    queue.requestDelivery(trigger(settled, "a3"));
    const closing = queue.close();
    await runner.finishOne();
    await closing;
    expect(settled).toEqual(["a1 retry", "a3 retry", "a2 retry"]);
    expect(runner.events).toEqual(["start delivery", "end delivery", "start delivery", "end delivery"]);
  });

  describe("the delivery floor (min_delivery_interval_seconds)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /**
     * A queue with a 5-second floor on fake timers (from 0), whose cycles each take `cycleMs`: the start
     * (kind, time) of each cycle and every settled trigger are recorded.
     */
    function flooredQueue(cycleMs: number) {
      vi.useFakeTimers({ now: 0 });
      const starts: Array<{ kind: CycleKind; atMs: number }> = [];
      const run = (kind: CycleKind) => {
        starts.push({ kind, atMs: Date.now() });
        return new Promise<"handled">((resolve) => setTimeout(() => resolve("handled"), cycleMs));
      };
      const settled: string[] = [];
      const queue = new CycleQueue(run, logger, { minDeliveryIntervalMs: 5_000 });
      return { queue, starts, settled, deliver: (name: string) => queue.requestDelivery(trigger(settled, name)) };
    }

    it("turns a burst of 1,000 events into two delivery cycles, every trigger settled once", async () => {
      const { queue, starts, settled, deliver } = flooredQueue(1_500);
      for (let i = 0; i < 1_000; i++) deliver(`e${i}`);
      await vi.advanceTimersByTimeAsync(60_000);
      // The first event starts a cycle at once; the other 999 wait for the floor and go in one more.
      expect(starts).toEqual([
        { kind: "delivery", atMs: 0 },
        { kind: "delivery", atMs: 5_000 },
      ]);
      expect(settled).toHaveLength(1_000);
      expect(new Set(settled).size).toBe(1_000);
      await queue.close();
    });

    it("starts at most one delivery cycle per interval under a steady flood, and lets a tick through at once", async () => {
      const { queue, starts, settled, deliver } = flooredQueue(1_500);
      // An event every 10 ms for a minute (6,000), and the schedule's tick at 30 s.
      for (let i = 0; i < 6_000; i++) {
        deliver(`e${i}`);
        if (i === 3_000) queue.requestFull();
        await vi.advanceTimersByTimeAsync(10);
      }
      await vi.advanceTimersByTimeAsync(10_000);
      const deliveries = starts.filter((s) => s.kind === "delivery").map((s) => s.atMs);
      expect(deliveries.length).toBeLessThanOrEqual(60_000 / 5_000 + 1);
      deliveries.slice(1).forEach((atMs, i) => expect(atMs - (deliveries[i] ?? 0)).toBeGreaterThanOrEqual(5_000));
      // The tick is not held by the floor: it starts as soon as the running delivery ends.
      const full = starts.find((s) => s.kind === "full");
      expect(full?.atMs).toBeLessThanOrEqual(30_000 + 1_500);
      expect(settled).toHaveLength(6_000);
      await queue.close();
    });

    it("starts a delivery at once when the last one started longer ago than the interval", async () => {
      const { queue, starts, settled, deliver } = flooredQueue(1_000);
      deliver("a1");
      await vi.advanceTimersByTimeAsync(7_000);
      deliver("a2");
      await vi.advanceTimersByTimeAsync(0);
      expect(starts.map((s) => s.atMs)).toEqual([0, 7_000]);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(settled).toEqual(["a1 handled", "a2 handled"]);
      await queue.close();
    });
  });
});
