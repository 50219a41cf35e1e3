import { afterEach, describe, expect, it } from "vitest";
import { createLogger, SecretRedactor } from "../../src/logging/index.js";
import { runCycle, type CycleReport } from "../../src/orchestrator/index.js";
import type { Repeat } from "../../src/logging/progress.js";
import { generateFixture } from "../../src/simulator/fixtures/generator.js";
import { generated } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycleSettings, LogSink, startCycleSimulator, tempStateDir, testApiKey, testToken } from "./cycle-harness.js";

/** Issue 17 item 3: quiet, short, structured log lines, and no long silence without a terminal. */

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(fixture: Parameters<typeof startCycleSimulator>[0] = {}) {
  const [sim, state] = await Promise.all([startCycleSimulator(fixture), tempStateDir()]);
  cleanups.push(() => sim.stop(), () => state.remove());
  return { sim, settings: cycleSettings(sim, state.dir) };
}

/** One cycle at the simulator's time, logging at info (as operators do) in `format`. */
async function logCycle(sim: Simulator, settings: ReturnType<typeof cycleSettings>, format: "text" | "json", repeat?: Repeat) {
  const sink = new LogSink();
  const redactor = new SecretRedactor([testApiKey, testToken]);
  const logger = createLogger({ redactor, format, console: { stream: sink, colors: false } });
  const report: CycleReport = await runCycle(settings, {
    logger,
    redactor,
    now: () => new Date(sim.clock.now()),
    retry: { baseDelayMs: 1, retries: 3 },
    ...(repeat ? { progressRepeat: repeat } : {}),
  });
  const lines = sink.text.trim().split("\n");
  return { report, lines, warnings: lines.filter((line) => (format === "json" ? line.includes('"level":"warn"') : / warn /.test(line))) };
}

/** lab-year's shape (shares, markers, archived outputs, BaseSpace) at a tenth of its size: a first cycle in seconds. */
const labYearTenth = generateFixture({
  ...generated["lab-year"],
  analyses: 80,
  fastqsPerAnalysis: 16,
  basespace: { projects: 8, datasets: 300, runs: 40, trash: 3, archivedShare: 0.2 },
});

describe("cycle logs", () => {
  it("a lab-year-shaped first cycle logs a handful of short warning lines; the report keeps every warning", async () => {
    const { sim, settings } = await world({ fixture: labYearTenth });
    const first = await logCycle(sim, settings, "text");
    expect(Math.max(...first.lines.map((line) => line.length))).toBeLessThanOrEqual(200);
    // One line per kind (held without MGI FASTQ, undetermined, archived bsshoutput.json, …), not one per analysis.
    expect(first.report.warnings.length).toBeGreaterThan(20);
    expect(first.warnings.length).toBeLessThanOrEqual(6);
    expect(first.warnings.join("\n")).toMatch(/\d+ analyses, see reports\/\S+\.json/);

    sim.clock.advance(600_000);
    const second = await logCycle(sim, settings, "text");
    // What repeats is not logged again; what is new this cycle (e.g. the delete cap's next batch) may be.
    expect(second.warnings.length).toBeLessThan(first.warnings.length);
    expect(second.report.warnings.length).toBeGreaterThan(second.warnings.length);
  });

  it("demo: the warnings of every steady cycle are logged once, carry cycleId, pair, step and ids as JSON fields", async () => {
    const { sim, settings } = await world();
    const cycles = [];
    for (let i = 0; i < 3; i++) {
      cycles.push(await logCycle(sim, settings, "json"));
      sim.clock.advance(600_000);
    }
    const [first, second, third] = cycles;
    expect(first?.warnings.length).toBeGreaterThanOrEqual(3);
    expect(second?.warnings).toEqual([]);
    expect(third?.warnings).toEqual([]);
    // The steady cycles still report them; the held analysis as a plan item, as it rests (resting-holds.ts).
    const resting = third?.report.plan.steps.flatMap((s) => s.items).filter((i) => i.action === "skip" && i.reason.startsWith("no recognisable MGI FASTQ"));
    expect(resting?.length).toBe(1);
    expect(third?.report.warnings.some((w) => w.includes("BaseSpace trash not emptied"))).toBe(true);

    const entries = (first?.lines ?? []).map((line) => JSON.parse(line) as Record<string, unknown>);
    const cycleId = first?.report.cycleId;
    for (const entry of entries) expect(entry).toMatchObject({ cycleId, pair: "core-bssh-runs -> mgi-fastq-delivery" });
    for (const entry of entries.filter((e) => e.level === "warn")) expect(typeof entry.step).toBe("string");
    const held = entries.find((e) => String(e.message).startsWith("no MGI FASTQ matching fastq_pattern"));
    expect(held).toMatchObject({ step: "manageNew", ids: [expect.stringMatching(/^a0000003-/)] });
    expect(String(held?.message)).not.toContain("fastq.gz");
  });

  it("each step runs with a 10 s heartbeat that names it and stops when the step ends", async () => {
    const { sim, settings } = await world();
    const heartbeats: Array<{ ms: number; stopped: boolean }> = [];
    const repeat: Repeat = (ms, tick) => {
      const heartbeat = { ms, stopped: false };
      heartbeats.push(heartbeat);
      tick(); // as if the step had already run for a while
      return () => void (heartbeat.stopped = true);
    };
    const { report, lines } = await logCycle(sim, settings, "json", repeat);
    const steps = report.steps.map((step) => step.name);
    expect(heartbeats).toHaveLength(steps.length);
    expect(heartbeats.every((h) => h.ms === 10_000 && h.stopped)).toBe(true);
    const beats = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => String(e.message).startsWith("still working after"));
    expect(beats.map((e) => e.step)).toEqual(steps);
  });
});
