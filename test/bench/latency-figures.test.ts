import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { modeResult, runFigures } from "../../bench/latency-figures.js";
import { benchResultsSchema, renderResultsTable } from "../../bench/results.js";

describe("delivery-latency figures", () => {
  it("gives p50, p95 and max of the delivered analyses, and counts the others missed", () => {
    const latencies = Array.from({ length: 19 }, (_, i) => (i + 1) * 1_000).reverse();
    expect(runFigures(20, latencies)).toEqual({ analyses: 20, missed: 1, p50Ms: 10_000, p95Ms: 19_000, maxMs: 19_000 });
    expect(runFigures(3, [])).toEqual({ analyses: 3, missed: 3, p50Ms: 0, p95Ms: 0, maxMs: 0 });
  });

  it("reports the worse run's missed at the top, so 0 means none missed under faults either", () => {
    const latency = runFigures(20, Array.from({ length: 20 }, () => 4_000));
    const underFaults = { ...runFigures(20, Array.from({ length: 19 }, () => 30_000)), lossRate: 0.1, duplicateRate: 0.1, eventsLost: 2, eventsDuplicated: 3 };
    const mode = modeResult(latency, 168, underFaults);
    expect(mode).toMatchObject({ analyses: 20, missed: 1, p95Ms: 4_000, callsPerIdleHour: 168, underFaults: { missed: 1, p95Ms: 30_000 } });
    expect(modeResult(latency, 60)).toEqual({ ...latency, callsPerIdleHour: 60 });
  });

  it("prints the fault runs in a table of their own beside the latency runs", async () => {
    const committed = benchResultsSchema.parse(JSON.parse(await readFile("bench/results.json", "utf8")));
    const latency = runFigures(20, Array.from({ length: 20 }, (_, i) => 3_000 + i * 100));
    const faulted = { ...runFigures(20, Array.from({ length: 20 }, (_, i) => (i < 18 ? 4_000 : 29_000))), lossRate: 0.1, duplicateRate: 0.1, eventsLost: 2, eventsDuplicated: 1 };
    const results = benchResultsSchema.parse({
      ...committed,
      scenarios: { "delivery-latency": { windowMs: 600_000, events: { delayMs: 1_000, delayJitterMs: 3_000 }, modes: { cron: modeResult(latency, 60), http: modeResult(latency, 168, faulted) } } },
    });
    const table = renderResultsTable(results);
    expect(table).toContain("events reach watch 1.0–4.0 s after the status change");
    expect(table).toContain("| http | 20 | 0 | 3.9 | 4.8 | 4.9 | 168 |");
    expect(table).toContain("| http | 10 % / 10 % | 2 / 1 | 20 | 0 | 4.0 | 29.0 | 29.0 |");
  });
});
