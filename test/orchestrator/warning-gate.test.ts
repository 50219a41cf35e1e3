import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeLogger, createLogger, SecretRedactor } from "../../src/logging/index.js";
import { WarningGate } from "../../src/orchestrator/warning-gate.js";
import { WarningMemory } from "../../src/state/index.js";
import { LogSink } from "./cycle-settings.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-gate-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const held = (...ids: string[]) => ids.map((id) => ({ analysisId: id, message: `no MGI FASTQ in run-${id} (saw 96 FASTQ(s), …)` }));

/** One cycle's warnings through a gate over the state directory's memory; the lines at warn level. */
async function cycle(minutes: number, warn: (gate: WarningGate, logger: ReturnType<typeof createLogger>) => void): Promise<string[]> {
  const sink = new LogSink();
  const logger = createLogger({ redactor: new SecretRedactor(), level: "debug", console: { stream: sink, colors: false } });
  const { memory } = await WarningMemory.open(join(dir, "warnings.json"));
  const gate = new WarningGate(memory, "core -> delivery", new Date(Date.UTC(2025, 10, 21) + minutes * 60_000), "reports/x.json");
  warn(gate, logger);
  await gate.save(() => undefined, logger);
  await closeLogger(logger);
  return sink.text.split("\n").filter((line) => / warn /.test(line));
}

describe("orchestrator/warning-gate", () => {
  it("logs a group of item warnings once, again when its analyses change, and a repeated plain warning once a day", async () => {
    const key = "no MGI FASTQ matching fastq_pattern: held";
    const steady = (ids: string[]) => (gate: WarningGate, logger: ReturnType<typeof createLogger>) => {
      gate.warnGroup(logger.child({ step: "manageNew" }), "manageNew", key, held(...ids));
      gate.warn(logger, "basespaceLifecycle", `delete cap of 500 per cycle reached; ${1000 + ids.length} item(s) wait`);
    };
    expect(await cycle(0, steady(["a", "b"]))).toHaveLength(2);
    expect(await cycle(10, steady(["b", "a"]))).toEqual([]);
    const changed = await cycle(20, steady(["a", "b", "c"]));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/\[manageNew\] no MGI FASTQ matching fastq_pattern: held: 3 analyses, see reports\/x\.json$/);
    expect(await cycle(20 + 24 * 60, steady(["a", "b", "c"]))).toHaveLength(2);
  });

  it("logs every warning without a memory (a dry run)", async () => {
    const sink = new LogSink();
    const logger = createLogger({ redactor: new SecretRedactor(), console: { stream: sink, colors: false } });
    const gate = new WarningGate(undefined, "p", new Date(), "the plan");
    for (let i = 0; i < 3; i++) gate.warn(logger, "resolve", "no BaseSpace access token configured");
    await closeLogger(logger);
    expect(sink.text.match(/ warn /g)).toHaveLength(3);
  });
});
