/**
 * One measured cycle in a process of its own, so that its peak RSS is the orchestrator's alone (the
 * simulator lives in the bench process), started with the bin's memory flags and malloc settings (cycle-process.ts) so that
 * it is the tool's. Usage: node dist/bench/cycle-child.js <spec.json>
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import writeFileAtomic from "write-file-atomic";
import { settingsSecrets } from "../src/config/index.js";
import { closeLogger, createLogger, SecretRedactor } from "../src/logging/index.js";
import { runCycle } from "../src/orchestrator/run-cycle.js";
import { cycleSpecSchema, parseBenchSettings, type CycleChildResult } from "./cycle-spec.js";
import { peakRssKb } from "./peak-rss.js";

async function main(specPath: string): Promise<void> {
  const spec = cycleSpecSchema.parse(JSON.parse(await readFile(specPath, "utf8")));
  const settings = parseBenchSettings(spec.settings);
  const redactor = new SecretRedactor(settingsSecrets(settings));
  // The bench process sends stderr to a log file in the state directory.
  const logger = createLogger({ redactor, level: settings.logLevel, format: "text", console: { stream: process.stderr, colors: false } });
  const started = performance.now();
  const report = await runCycle(settings, { logger, redactor, now: () => new Date(Date.now() + spec.clockOffsetMs) });
  const wallMs = performance.now() - started;
  await closeLogger(logger);
  const result: CycleChildResult = {
    wallMs,
    maxRssKb: peakRssKb(),
    outcome: report.outcome,
    errors: report.errors.slice(0, 20),
    warnings: report.warnings.length,
  };
  await writeFileAtomic(spec.resultPath, JSON.stringify(result));
}

const specPath = process.argv[2];
if (!specPath) {
  console.error("usage: node dist/bench/cycle-child.js <spec.json>");
  process.exit(2);
}
main(specPath).catch((error: unknown) => {
  console.error(`bench cycle failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
