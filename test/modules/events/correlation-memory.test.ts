import { describe, expect, it } from "vitest";
import { CorrelationMemory } from "../../../src/modules/monitor/events/correlation-memory.js";

describe("CorrelationMemory", () => {
  it("knows a duplicate, forgets the oldest past its capacity, and forgets a failed one on request", () => {
    const memory = new CorrelationMemory(2);
    expect(memory.firstTime("a")).toBe(true);
    expect(memory.firstTime("a")).toBe(false);
    memory.firstTime("b");
    memory.firstTime("c");
    expect(memory.firstTime("b")).toBe(false);
    expect(memory.firstTime("a")).toBe(true);
    memory.forget("a");
    expect(memory.firstTime("a")).toBe(true);
  });
});
