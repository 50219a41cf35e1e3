/**
 * `npm run bench [-- --latency-ms N --out FILE --check --scenarios a,b --quick]`: bench/README.md
 * explains what is measured and how to read it.
 */
import { cpus, totalmem, type, release } from "node:os";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import { describeRegression, findRegressions } from "./check.js";
import { parseBenchOptions, type BenchOptions } from "./options.js";
import { runDownload } from "./download-scenario.js";
import {
  mergeResults,
  readResults,
  renderResultsTable,
  topRoutes,
  writeResults,
  type BenchResults,
  type CycleScenarioName,
  type ScenarioResult,
} from "./results.js";
import { runLabYear, runScale } from "./scenarios.js";
import { runDeliveryLatency } from "./delivery-latency.js";
import { nodeProblem } from "./runtime-check.js";

/** delivery-latency: analyses finishing in the window, and the idle stretch (ten polls at the default 30 s, so one poll more or less moves the figure by a tenth). */
const latencyAnalyses = 20;
const latencyIdleMs = 300_000;

function machine(): BenchResults["machine"] {
  const cores = cpus();
  return {
    os: `${type()} ${release()}`,
    cpus: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

const progress = (line: string): void => console.error(line);

function report(name: CycleScenarioName, result: ScenarioResult): void {
  progress(
    `${name}: ${result.wallMs} ms, ${result.calls} calls (bound ${result.lowerBound}, ×${result.ratio}), ` +
      `${result.peakRssMb} MB peak RSS, ${result.mutatingCalls} changing, outcome ${result.outcome}`,
  );
  if (result.nextCycles) {
    const calls = result.nextCycles.map((c) => (c.mutatingCalls > 0 ? `${c.calls} (${c.mutatingCalls} changing)` : `${c.calls}`));
    progress(`  the next ${calls.length} cycles, 10 minutes apart: ${calls.join(", ")} calls`);
  }
  for (const line of topRoutes(result)) progress(`    ${line}`);
}

async function bench(options: BenchOptions, workDir: string): Promise<BenchResults> {
  const scenarios: BenchResults["scenarios"] = {};
  const ctx = {
    latency: { latencyMs: options.latencyMs, latencyJitterMs: options.latencyJitterMs },
    workDir,
    selected: options.scenarios,
    rssRuns: options.rssRuns,
    progress,
    record: (name: CycleScenarioName, result: ScenarioResult) => {
      scenarios[name] = result;
      report(name, result);
    },
  };
  const labYear = await runLabYear(ctx);
  const scale = options.scenarios.has("scale-1m-first") || options.scenarios.has("scale-1m-steady") ? await runScale(ctx) : undefined;
  const download = options.scenarios.has("download") ? await runDownload(ctx) : undefined;
  if (options.scenarios.has("delivery-latency")) {
    scenarios["delivery-latency"] = await runDeliveryLatency({
      latency: ctx.latency,
      workDir,
      windowMs: options.latencyWindowMs,
      analyses: latencyAnalyses,
      idleMs: latencyIdleMs,
      progress,
    });
  }
  return {
    machine: machine(),
    date: new Date().toISOString(),
    latencyMs: options.latencyMs,
    latencyJitterMs: options.latencyJitterMs,
    simulator: { ...labYear, ...scale },
    scenarios,
    ...(download ? { download } : {}),
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    // commander has already printed the problem (or the help).
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const problem = nodeProblem();
  if (problem) {
    console.error(problem);
    return 2;
  }
  // Read first: without --out, a run without --check replaces this very file.
  const baseline = options.check ? await readResults(options.baseline) : undefined;
  const workDir = await mkdtemp(join(tmpdir(), "ica-bench-"));
  let results: BenchResults;
  try {
    results = await bench(options, workDir);
  } catch (error) {
    progress(`bench failed: ${error instanceof Error ? error.message : String(error)} (work directory kept: ${workDir})`);
    return 2;
  }
  if (!options.keep) await rm(workDir, { recursive: true, force: true });
  else progress(`work directory: ${workDir}`);

  // A run of some scenarios keeps the others' figures from the file it writes.
  const previous = await readResults(options.out).catch(() => undefined);
  await writeResults(options.out, mergeResults(previous, results));
  console.log(renderResultsTable(results));
  console.log(`\nresults written to ${options.out}`);
  if (!baseline) return 0;

  const regressions = findRegressions(baseline, results);
  if (regressions.length === 0) {
    console.log(`no regression beyond 20 % against ${options.baseline}`);
    return 0;
  }
  console.log(`regressions against ${options.baseline}:`);
  for (const regression of regressions) console.log(`  ${describeRegression(regression)}`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
