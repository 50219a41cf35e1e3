import { describe, expect, it } from "vitest";
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
});
