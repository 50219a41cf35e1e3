import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
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
 * ICA's events as every mode's simulator sends them: 2.5 s after the status change (public users see
 * 1–4 s), 10 % lost and 10 % sent twice — the target is zero analyses missed all the same.
 */
const eventFaults = { delayMs: 2_500, lossRate: 0.1, duplicateRate: 0.1 };

/**
 * How `watch` runs in each mode: the flags it gets (`common` are the flags every command of the mode
 * shares, for a `subscribe` first), the environment it adds, and how long after the window an analysis
 * may still be delivered before it counts as missed.
 */
interface LatencyMode {
  watchArgs(sim: Simulator, common: readonly string[]): Promise<string[]>;
  env?: Record<string, string>;
  graceMs: number;
}

const latencyModes: Record<string, LatencyMode> = {
  /** Today's behaviour: the full cycle on its schedule only. */
  cron: { watchArgs: () => Promise.resolve(["--poll_seconds", "0"]), graceMs: schedulePeriodMs + 120_000 },
  /** The fast path's poll at its default, every 30 s. */
  poll: { watchArgs: () => Promise.resolve([]), graceMs: 120_000 },
  /** ICA's HTTP deliveries to watch's receiver on a free loopback port; the poll (30 s) as the backstop. */
  http: { watchArgs: async (_sim, common) => subscribed(common, ["--events", `http://127.0.0.1:${await freePort()}/ica-events`]), graceMs: 120_000 },
  /** The simulator's SQS queue, long-polled by watch (the SDK signs with stand-in keys); the poll as the backstop. */
  sqs: {
    watchArgs: (sim, common) => {
      // The lab creates its queue before ICA's channel names it (docs/events.md).
      sim.queues.create("ica-events");
      return subscribed(common, ["--events", `sqs://${sim.sqsUrl}/000000000000/ica-events`, "--sqs_endpoint", sim.sqsUrl]);
    },
    env: { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" },
    graceMs: 120_000,
  },
};

/** Runs `subscribe` with the events flags (the channel and the ICA_EXEC_028 subscription), and returns them for watch. */
async function subscribed(common: readonly string[], events: string[]): Promise<string[]> {
  const run = startCli(["subscribe", ...common, ...events]);
  if ((await run.exited) !== 0) throw new Error(`delivery-latency: subscribe ${events.join(" ")} failed:\n${run.output.stderr.slice(-2_000)}`);
  return events;
}

/** A loopback port nothing listens on now: the receiver's address must be known before it starts (the channel names it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
  sim.setFaults({ latencyJitterMs: options.latency.latencyJitterMs, events: eventFaults });
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
  const watch = startCli(["watch", ...common, ...(await mode.watchArgs(sim, common))], mode.env);
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

function startCli(args: readonly string[], env?: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [cliScript, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
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
