import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { IcaClient } from "../src/ica/client.js";
import { icaManifestPath, MANIFEST_FOLDER } from "../src/orchestrator/plan/manifest.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";
import { SeededRandom } from "../src/simulator/fixtures/random.js";
import { startSimulator, type Simulator } from "../src/simulator/index.js";
import { readManagedTable } from "../src/state/index.js";
import type { Latency } from "./measure.js";
import type { DeliveryLatencyResult, LatencyModeResult } from "./results.js";

const cliScript = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/** The default cron schedule of watch: every 10 minutes. */
const schedulePeriodMs = 600_000;

/**
 * How `watch` runs in each mode: the flags it gets and how long after the window an analysis may still
 * be delivered before it counts as missed. A mode needing a receiver or a queue (http, sqs) adds an
 * entry whose `watchArgs` sets it up against the mode's own simulator.
 */
interface LatencyMode {
  watchArgs(sim: Simulator): Promise<string[]>;
  graceMs: number;
}

const latencyModes: Record<string, LatencyMode> = {
  /** Today's behaviour: the full cycle on its schedule only. */
  cron: { watchArgs: () => Promise.resolve(["--poll_seconds", "0"]), graceMs: schedulePeriodMs + 120_000 },
  /** The fast path's poll at its default, every 30 s. */
  poll: { watchArgs: () => Promise.resolve([]), graceMs: 120_000 },
};

export interface DeliveryLatencyOptions {
  latency: Latency;
  workDir: string;
  /** The window during which analyses finish (default 10 minutes, real time). */
  windowMs: number;
  /** Analyses finishing in the window. */
  analyses: number;
  /** The idle stretch the polls are counted over. */
  idleMs: number;
  progress: (line: string) => void;
}

/**
 * delivery-latency: each mode on its own simulator (`demo`, latency as the other scenarios) and its own
 * `watch` process, side by side, so the modes see the same wall-clock window without sharing a
 * server. After watch's first cycle: an idle stretch (its calls counted), one full cycle with nothing
 * new (`run`), then analyses finishing at seeded random moments of the window; the time from each
 * SUCCEEDED to its manifest AVAILABLE in the destination.
 */
export async function runDeliveryLatency(options: DeliveryLatencyOptions): Promise<DeliveryLatencyResult> {
  const entries = await Promise.all(Object.entries(latencyModes).map(async ([name, mode]) => [name, await measureMode(name, mode, options)] as const));
  return { windowMs: options.windowMs, modes: Object.fromEntries(entries) };
}

async function measureMode(name: string, mode: LatencyMode, options: DeliveryLatencyOptions): Promise<LatencyModeResult> {
  const dir = join(options.workDir, `delivery-latency-${name}`);
  await mkdir(dir, { recursive: true });
  const sim = await startSimulator({ fixture: "demo", credentialsDir: join(dir, "credentials"), latencyMs: options.latency.latencyMs });
  sim.setFaults({ latencyJitterMs: options.latency.latencyJitterMs });
  const stateDir = join(dir, "state");
  const common = [
    "--server_url", sim.icaUrl,
    "--api_key_file", sim.apiKeyFile ?? "",
    "--basespace_access_token_file", sim.basespaceConfigFile ?? "",
    "--source_project_name", SOURCE_PROJECT_NAME,
    "--destination_project_name", DESTINATION_PROJECT_NAME,
    "--state_dir", stateDir,
    "--adopt", "deliver",
    "--canary", "off",
  ];
  const watch = startCli(["watch", ...common, ...(await mode.watchArgs(sim))]);
  try {
    await watch.waitFor(/^Cycle \S+: /m, 300_000);
    options.progress(`delivery-latency ${name}: first cycle done; idle for ${options.idleMs / 1000} s`);
    sim.resetStats();
    await sleep(options.idleMs);
    const idleCalls = sim.stats().total;
    const fullCycleCalls = await idleFullCycleCalls(common, stateDir);
    const callsPerIdleHour = Math.round((idleCalls * 3_600_000) / options.idleMs + fullCycleCalls * (3_600_000 / schedulePeriodMs));

    const origin = (await readManagedTable(join(stateDir, "analyses_managed_table.txt"))).rows[0]?.analysisId;
    if (!origin) throw new Error(`delivery-latency ${name}: the first cycle delivered nothing to copy`);
    const random = new SeededRandom(18);
    const finishing = Array.from({ length: options.analyses }, () => sim.finishAnalysis({ analysisId: origin, endInMs: Math.round(random.next() * options.windowMs) }));
    options.progress(`delivery-latency ${name}: ${finishing.length} analyses finish within ${options.windowMs / 1000} s`);
    const deadline = Math.max(...finishing.map((f) => f.endsAtMs)) + mode.graceMs;
    const delivered = await watchManifests(sim, new Map(finishing.map((f) => [icaManifestPath(f.reference).slice(MANIFEST_FOLDER.length), f.endsAtMs])), deadline);
    const latencies = [...delivered.values()].sort((a, b) => a - b);
    options.progress(`delivery-latency ${name}: ${latencies.length} of ${finishing.length} delivered`);
    return {
      analyses: finishing.length,
      missed: finishing.length - latencies.length,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1) ?? 0,
      callsPerIdleHour,
    };
  } finally {
    watch.child.kill("SIGTERM");
    await watch.exited;
    await sim.stop();
  }
}

/** The calls of one full cycle with nothing new, from the report of a `run` beside the idle watch. */
async function idleFullCycleCalls(common: readonly string[], stateDir: string): Promise<number> {
  const run = startCli(["run", ...common]);
  if ((await run.exited) !== 0) throw new Error(`delivery-latency: the idle run failed:\n${run.output.stderr.slice(-2_000)}`);
  const reportsDir = join(stateDir, "reports");
  const names = await readdir(reportsDir);
  const dated = await Promise.all(names.map(async (file) => ({ file, mtimeMs: (await stat(join(reportsDir, file))).mtimeMs })));
  const newest = dated.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  if (!newest) throw new Error("delivery-latency: the idle run wrote no report");
  const report = JSON.parse(await readFile(join(reportsDir, newest.file), "utf8")) as { apiCalls: { total: number } };
  return report.apiCalls.total;
}

/**
 * Looks at the destination's manifest folder every second until every manifest named in `endsAt`
 * (file name → when its analysis SUCCEEDED, simulated ms) is AVAILABLE or the deadline passes; the
 * latency of each is the simulated time it was first seen AVAILABLE minus its SUCCEEDED time (to
 * within the second between looks).
 */
async function watchManifests(sim: Simulator, endsAt: ReadonlyMap<string, number>, deadlineMs: number): Promise<Map<string, number>> {
  const destination = sim.fixture.ica.projects.find((p) => p.name === DESTINATION_PROJECT_NAME);
  if (!destination) throw new Error(`the demo fixture has no project ${DESTINATION_PROJECT_NAME}`);
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const seen = new Map<string, number>();
  while (seen.size < endsAt.size && sim.clock.now() < deadlineMs) {
    await sleep(1_000);
    const now = sim.clock.now();
    for await (const item of ica.listData(destination.id, { parentFolderPath: MANIFEST_FOLDER, status: ["AVAILABLE"] })) {
      const end = endsAt.get(item.name);
      if (end !== undefined && !seen.has(item.name)) seen.set(item.name, now - end);
    }
  }
  return seen;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);
}

interface CliProcess {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
}

function startCli(args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, [cliScript, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<void> => {
    const started = Date.now();
    while (!pattern.test(output.stdout)) {
      if (child.exitCode !== null || Date.now() - started > timeoutMs) throw new Error(`watch never printed ${pattern}:\n${output.stderr.slice(-2_000)}`);
      await sleep(200);
    }
  };
  return { child, output, exited, waitFor };
}
