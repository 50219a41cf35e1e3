import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
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
import { modeResult, runFigures } from "./latency-figures.js";
import type { DeliveryLatencyResult, LatencyRunFigures, UnderFaults } from "./results.js";

const cliScript = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/**
 * How often the bench looks for manifests: the resolution of every latency figure. A quarter second
 * (4 listings a second of one small folder) rather than a second, which added up to a second to each.
 */
const lookIntervalMs = 250;

/** The default cron schedule of watch: every 10 minutes. */
const schedulePeriodMs = 600_000;

/** ICA's events as public users see them: 1–4 s after the status change (a uniform draw for each delivery). */
const eventDelay = { delayMs: 1_000, delayJitterMs: 3_000 };

/** The event modes' fault run: the issue's "10 % of events lost or duplicated", on top of the same delays. */
const eventFaults = { lossRate: 0.1, duplicateRate: 0.1 };

/**
 * How `watch` runs in each mode: the flags it gets (`common` are the flags every command of the mode
 * shares, for a `subscribe` first), the environment it adds, and how long after the window an analysis
 * may still be delivered before it counts as missed.
 */
interface LatencyMode {
  watchArgs(sim: Simulator, common: readonly string[]): Promise<string[]>;
  env?: Record<string, string>;
  graceMs: number;
  /** Driven by ICA's events: measured twice, once with every event delivered and once with `eventFaults`. */
  events?: true;
}

const latencyModes: Record<string, LatencyMode> = {
  /** Today's behaviour: the full cycle on its schedule only. */
  cron: { watchArgs: () => Promise.resolve(["--poll_seconds", "0"]), graceMs: schedulePeriodMs + 120_000 },
  /** The fast path's poll at its default, every 30 s. */
  poll: { watchArgs: () => Promise.resolve([]), graceMs: 120_000 },
  /** ICA's HTTP deliveries to watch's receiver on a free loopback port; the poll (30 s) as the backstop. */
  http: { watchArgs: async (_sim, common) => subscribed(common, ["--events", `http://127.0.0.1:${await freePort()}/ica-events`]), graceMs: 120_000, events: true },
  /** The simulator's SQS queue, long-polled by watch (the SDK signs with stand-in keys); the poll as the backstop. */
  sqs: {
    watchArgs: (sim, common) => {
      // The lab creates its queue before ICA's channel names it (docs/events.md).
      sim.queues.create("ica-events");
      return subscribed(common, ["--events", `sqs://${sim.sqsUrl}/000000000000/ica-events`, "--sqs_endpoint", sim.sqsUrl]);
    },
    env: { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" },
    graceMs: 120_000,
    events: true,
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
 * One measured run: a mode, whether its events are lost and duplicated (the event modes' fault run),
 * and the seed of its analyses' moments.
 */
interface LatencyRun {
  mode: string;
  faults: boolean;
  seed: number;
}

/** What a run measured; the idle calls only in a run without faults (the fault run skips the idle stretch). */
interface RunMeasurement {
  figures: LatencyRunFigures;
  callsPerIdleHour?: number;
  eventsLost: number;
  eventsDuplicated: number;
}

/**
 * delivery-latency: every run on its own simulator (`demo`, latency as the other scenarios) and its own
 * `watch` process, all side by side, so the scenario takes one window instead of one per run: cron,
 * poll, http and sqs with every event delivered (1–4 s late), and http and sqs again with 10 % of the
 * events lost and 10 % sent twice. After watch's first cycle, a run without faults has an idle stretch
 * (its calls counted) and one full cycle with nothing new (`run`); then analyses finish at seeded random
 * moments of the window, each run with its own seed so that the runs' delivery cycles do not all fall
 * on the same instants of the shared cores; the time from each SUCCEEDED to its manifest AVAILABLE in
 * the destination.
 */
export async function runDeliveryLatency(options: DeliveryLatencyOptions): Promise<DeliveryLatencyResult> {
  const runs: LatencyRun[] = Object.entries(latencyModes).flatMap(([mode, spec]) => [{ mode, faults: false }, ...(spec.events ? [{ mode, faults: true }] : [])]).map((run, i) => ({ ...run, seed: 18 + i }));
  const measured = await Promise.all(runs.map(async (run) => ({ run, measurement: await measureRun(run, options) })));
  const modes = Object.keys(latencyModes).flatMap((mode) => {
    const plain = measured.find((m) => m.run.mode === mode && !m.run.faults)?.measurement;
    if (!plain) return [];
    const faulted = measured.find((m) => m.run.mode === mode && m.run.faults)?.measurement;
    const underFaults: UnderFaults | undefined = faulted && { ...faulted.figures, ...eventFaults, eventsLost: faulted.eventsLost, eventsDuplicated: faulted.eventsDuplicated };
    return [[mode, modeResult(plain.figures, plain.callsPerIdleHour ?? 0, underFaults)] as const];
  });
  return { windowMs: options.windowMs, events: eventDelay, modes: Object.fromEntries(modes) };
}

async function measureRun(run: LatencyRun, options: DeliveryLatencyOptions): Promise<RunMeasurement> {
  const name = run.faults ? `${run.mode} under faults` : run.mode;
  const mode = latencyModes[run.mode];
  if (!mode) throw new Error(`delivery-latency: no mode ${run.mode}`);
  const dir = join(options.workDir, `delivery-latency-${run.mode}${run.faults ? "-faults" : ""}`);
  await mkdir(dir, { recursive: true });
  const sim = await startSimulator({ fixture: "demo", credentialsDir: join(dir, "credentials"), latencyMs: options.latency.latencyMs });
  sim.setFaults({ latencyJitterMs: options.latency.latencyJitterMs, events: { ...eventDelay, ...(run.faults ? eventFaults : {}) } });
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
    // The event source starts after the first cycle; it has started once it has saved its event-log position.
    if (mode.events) await until(() => existsSync(join(stateDir, "event-log-position.json")), 60_000, `delivery-latency ${name}: the event source never started`);
    let callsPerIdleHour: number | undefined;
    if (!run.faults) {
      options.progress(`delivery-latency ${name}: first cycle done; idle for ${options.idleMs / 1000} s`);
      sim.resetStats();
      const idleStartedMs = Date.now();
      await sleep(options.idleMs);
      // A schedule tick inside the stretch is a full cycle, which the second term counts: its calls are not idle fast-path calls.
      const idleCalls = sim.stats().total - sum((await cycleReports(stateDir)).filter((r) => r.startedMs >= idleStartedMs).map((r) => r.calls));
      const fullCycleCalls = await idleFullCycleCalls(common, stateDir);
      callsPerIdleHour = Math.round((idleCalls * 3_600_000) / options.idleMs + fullCycleCalls * (3_600_000 / schedulePeriodMs));
    }

    const origin = (await readManagedTable(join(stateDir, "analyses_managed_table.txt"))).rows[0]?.analysisId;
    if (!origin) throw new Error(`delivery-latency ${name}: the first cycle delivered nothing to copy`);
    const random = new SeededRandom(run.seed);
    const finishing = Array.from({ length: options.analyses }, () => sim.finishAnalysis({ analysisId: origin, endInMs: Math.round(random.next() * options.windowMs) }));
    options.progress(`delivery-latency ${name}: ${finishing.length} analyses finish within ${options.windowMs / 1000} s`);
    const deadline = Math.max(...finishing.map((f) => f.endsAtMs)) + mode.graceMs;
    const delivered = await watchManifests(sim, new Map(finishing.map((f) => [icaManifestPath(f.reference).slice(MANIFEST_FOLDER.length), f.endsAtMs])), deadline);
    const deliveries = eventDeliveries(sim);
    options.progress(`delivery-latency ${name}: ${delivered.size} of ${finishing.length} delivered (events lost ${deliveries.lost}, sent twice ${deliveries.duplicated})`);
    return {
      figures: runFigures(finishing.length, [...delivered.values()]),
      ...(callsPerIdleHour !== undefined ? { callsPerIdleHour } : {}),
      eventsLost: deliveries.lost,
      eventsDuplicated: deliveries.duplicated,
    };
  } finally {
    watch.child.kill("SIGTERM");
    await watch.exited;
    await sim.stop();
  }
}

/** The simulator's counts of event deliveries lost and sent twice (`/__sim/state`). */
function eventDeliveries(sim: Simulator): { lost: number; duplicated: number } {
  const counts = sim.state().counts.ica.eventDeliveries;
  if (typeof counts !== "object") return { lost: 0, duplicated: 0 };
  return { lost: counts.lost ?? 0, duplicated: counts.duplicated ?? 0 };
}

async function until(done: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error(failure);
    await sleep(200);
  }
}

/** The calls of one full cycle with nothing new, from the report of a `run` beside the idle watch. */
async function idleFullCycleCalls(common: readonly string[], stateDir: string): Promise<number> {
  const run = startCli(["run", ...common]);
  if ((await run.exited) !== 0) throw new Error(`delivery-latency: the idle run failed:\n${run.output.stderr.slice(-2_000)}`);
  const newest = (await cycleReports(stateDir)).sort((a, b) => b.startedMs - a.startedMs)[0];
  if (!newest) throw new Error("delivery-latency: the idle run wrote no report");
  return newest.calls;
}

/** When each cycle report in the state dir started, and the calls it made. */
async function cycleReports(stateDir: string): Promise<Array<{ startedMs: number; calls: number }>> {
  const reportsDir = join(stateDir, "reports");
  const names = await readdir(reportsDir);
  return Promise.all(
    names.map(async (file) => {
      const report = JSON.parse(await readFile(join(reportsDir, file), "utf8")) as { startedAt: string; apiCalls: { total: number } };
      return { startedMs: Date.parse(report.startedAt), calls: report.apiCalls.total };
    }),
  );
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Looks at the destination's manifest folder every quarter second until every manifest named in
 * `endsAt` (file name → when its analysis SUCCEEDED, simulated ms) is AVAILABLE or the deadline passes;
 * the latency of each is the simulated time it was first seen AVAILABLE minus its SUCCEEDED time (to
 * within the quarter second between looks, plus a look's own round trip).
 */
async function watchManifests(sim: Simulator, endsAt: ReadonlyMap<string, number>, deadlineMs: number): Promise<Map<string, number>> {
  const destination = sim.fixture.ica.projects.find((p) => p.name === DESTINATION_PROJECT_NAME);
  if (!destination) throw new Error(`the demo fixture has no project ${DESTINATION_PROJECT_NAME}`);
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const seen = new Map<string, number>();
  while (seen.size < endsAt.size && sim.clock.now() < deadlineMs) {
    await sleep(lookIntervalMs);
    const now = sim.clock.now();
    for await (const item of ica.listData(destination.id, { parentFolderPath: MANIFEST_FOLDER, status: ["AVAILABLE"] })) {
      const end = endsAt.get(item.name);
      if (end !== undefined && !seen.has(item.name)) seen.set(item.name, now - end);
    }
  }
  return seen;
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
