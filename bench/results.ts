import { readFile } from "node:fs/promises";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";

/** Scenarios that measure a cycle (results in `scenarios`); `download` measures the download command (in `download`). */
export const cycleScenarioNames = ["lab-year-first", "lab-year-steady", "lab-year-dry", "scale-1m-first", "scale-1m-steady"] as const;
export type CycleScenarioName = (typeof cycleScenarioNames)[number];
export const scenarioNames = [...cycleScenarioNames, "download", "delivery-latency"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

const count = z.int().nonnegative();

const scenarioResultSchema = z.strictObject({
  wallMs: count,
  calls: count,
  lowerBound: count,
  /** calls ÷ lowerBound, two decimals. */
  ratio: z.number().nonnegative(),
  /** The median of `peakRssRunsMb` (bench/README.md: when a scenario is run more than once). */
  peakRssMb: z.number().nonnegative(),
  /** The peak RSS of each run of the scenario, the measured one first. */
  peakRssRunsMb: z.array(z.number().nonnegative()).optional(),
  /** Set when the scenario ran at another latency than the results' `latencyMs` (scale-1m-first: 0). */
  latencyMs: count.optional(),
  /** Calls other than reads (0 for a dry run and for a steady cycle). */
  mutatingCalls: count,
  callsByRoute: z.record(z.string(), count),
  lowerBoundTerms: z.record(z.string(), count),
  /** The cycle's own verdict, so a cycle that failed is not mistaken for a fast one. */
  outcome: z.string(),
  /** Steady scenarios: the calls of the next cycles, one cycle interval apart (measure.ts steadyCallsOver). */
  nextCycles: z.array(z.strictObject({ calls: count, mutatingCalls: count })).optional(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

/** One run of a `delivery-latency` mode (bench/delivery-latency.ts): SUCCEEDED → manifest AVAILABLE. */
const latencyRunSchema = z.strictObject({
  analyses: count,
  /** Not delivered within the mode's grace after the window. */
  missed: count,
  /** Over the analyses delivered. */
  p50Ms: count,
  p95Ms: count,
  maxMs: count,
});
export type LatencyRunFigures = z.infer<typeof latencyRunSchema>;

/** The event modes' second run: the same events, but this share lost and this share sent twice (bench/README.md). */
const underFaultsSchema = latencyRunSchema.extend({
  lossRate: z.number().min(0).max(1),
  duplicateRate: z.number().min(0).max(1),
  /** Deliveries the simulator dropped, and sent twice, during the run (its seeded draws: how many the rates gave). */
  eventsLost: count,
  eventsDuplicated: count,
});
export type UnderFaults = z.infer<typeof underFaultsSchema>;

/**
 * One mode of `delivery-latency`: the latency run's figures (for the event modes, events arriving as
 * public users see them, none lost), the idle watch's calls, and for the event modes the fault run.
 * `missed` is the worse of the two runs'.
 */
const latencyModeSchema = latencyRunSchema.extend({
  /** The idle stretch's calls per hour plus six full cycles with nothing new (bench/README.md). */
  callsPerIdleHour: count,
  underFaults: underFaultsSchema.optional(),
});
export type LatencyModeResult = z.infer<typeof latencyModeSchema>;

const deliveryLatencySchema = z.strictObject({
  windowMs: count,
  /** When each event reaches watch after its status change: `delayMs` plus a uniform draw of up to `delayJitterMs`. */
  events: z.strictObject({ delayMs: count, delayJitterMs: count }).optional(),
  /** cron, poll, http, sqs (bench/delivery-latency.ts). */
  modes: z.record(z.string(), latencyModeSchema),
});
export type DeliveryLatencyResult = z.infer<typeof deliveryLatencySchema>;

/** The cycle scenarios' results by name, and delivery-latency's (a scenario of several watch processes). */
const scenariosSchema = z.strictObject({
  ...(Object.fromEntries(cycleScenarioNames.map((name) => [name, scenarioResultSchema.optional()])) as Record<CycleScenarioName, z.ZodOptional<typeof scenarioResultSchema>>),
  "delivery-latency": deliveryLatencySchema.optional(),
});

const simulatorFiguresSchema = z.strictObject({
  labYearLoadMs: count,
  scale1mLoadMs: count.optional(),
  /** Median time to serve a 1,000-item ICA data page (cursor), no latency injected, over HTTP. */
  page1000Ms: z.number().nonnegative(),
});

const transferSchema = z.strictObject({ wallMs: count, mbPerS: z.number().nonnegative() });

/** `download`: the command against curl on the same presigned URLs, its memory, and what a resume fetches again. */
const downloadResultSchema = z.strictObject({
  date: z.iso.datetime(),
  files: count,
  bytes: count,
  concurrency: count,
  partBytes: count,
  /** `cpuMs`: the command's user + system CPU time, which a busy machine's other work does not inflate as it does the wall time. */
  tool: transferSchema.extend({ peakRssMb: z.number().nonnegative(), exitCode: z.int(), cpuMs: count.optional() }),
  /** One curl process fetching the URLs one after the other, and `xargs -P <concurrency>` curls; null when curl is absent. */
  curlSequential: transferSchema.nullable(),
  curlParallel: transferSchema.nullable(),
  curlSkipped: z.string().optional(),
  resume: z.strictObject({
    /** Parts recorded done (on disk) when the first run was killed, of all parts. */
    partsDoneAtKill: count,
    parts: count,
    /** GETs the store had received when the kill came, minus the parts done: those in flight. */
    partsInFlightAtKill: count,
    /** GETs of the resumed run, and the parts it had left to fetch (in flight at the kill among them). */
    partsFetchedOnResume: count,
    partsLeft: count,
    exitCode: z.int(),
    /** Files begun but not verified at the kill: the re-read must stay under one part for each. */
    filesInFlightAtKill: count.optional(),
    /** Parts the resume continued from a checkpoint rather than fetched whole. */
    partsContinuedOnResume: count.optional(),
    /** Bytes the parts logs recorded on disk at the kill (whole parts and checkpoints). */
    bytesOnDiskAtKill: count.optional(),
    /** Bytes the store sent the resumed run, headers included. */
    bytesFetchedOnResume: count.optional(),
    /** Bytes the killed run had written (the kernel's count, taken with the process stopped just before the kill). */
    bytesWrittenAtKill: count.optional(),
    /** What was fetched twice: fetched on resume − (manifest bytes − bytes written at the kill). */
    bytesReRead: z.int().optional(),
  }),
});
export type DownloadResult = z.infer<typeof downloadResultSchema>;

/** @internal exported for the tests */
export const benchResultsSchema = z.strictObject({
  machine: z.strictObject({ os: z.string(), cpus: z.string(), cpuCount: count, memoryGb: z.number(), node: z.string() }),
  date: z.iso.datetime(),
  latencyMs: count,
  latencyJitterMs: count,
  simulator: simulatorFiguresSchema,
  scenarios: scenariosSchema,
  download: downloadResultSchema.optional(),
});
export type BenchResults = z.infer<typeof benchResultsSchema>;

export async function readResults(path: string): Promise<BenchResults> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read bench results ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run \`npm run bench\` once to create them`);
  }
  const parsed = benchResultsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bench results ${path} are invalid at ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "unknown"}; re-run \`npm run bench\``);
  }
  return parsed.data;
}

/**
 * What a run leaves in the results file: its own figures, and the figures of scenarios it did not run
 * as the file had them, so `--scenarios download` does not erase the cycles' results. A run of no cycle
 * scenario keeps the file's machine, date and simulator figures too: they describe the cycles' run.
 */
export function mergeResults(previous: BenchResults | undefined, current: BenchResults): BenchResults {
  if (!previous) return current;
  if (Object.keys(current.scenarios).length === 0) return { ...previous, ...(current.download ? { download: current.download } : {}) };
  return {
    ...current,
    simulator: { ...previous.simulator, ...current.simulator },
    scenarios: { ...previous.scenarios, ...current.scenarios },
    ...(current.download ?? previous.download ? { download: current.download ?? previous.download } : {}),
  };
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(benchResultsSchema.parse(results), null, 2)}\n`);
}

/** The markdown table printed after a run. */
export function renderResultsTable(results: BenchResults): string {
  const rows = cycleScenarioNames.flatMap((name) => {
    const r = results.scenarios[name];
    if (!r) return [];
    return [
      `| ${name} | ${r.wallMs.toLocaleString("en-US")} | ${r.calls.toLocaleString("en-US")} | ${r.lowerBound.toLocaleString("en-US")} | ${r.ratio.toFixed(2)} | ${r.peakRssMb.toFixed(0)}${r.peakRssRunsMb ? ` (median of ${r.peakRssRunsMb.map((mb) => mb.toFixed(0)).join(", ")})` : ""} | ${r.outcome}${r.latencyMs !== undefined ? ` (latency ${r.latencyMs} ms)` : ""} |`,
    ];
  });
  const sim = results.simulator;
  const download = results.download ? ["", ...renderDownload(results.download)] : [];
  return [
    `latency ${results.latencyMs} ms (+0–${results.latencyJitterMs} ms jitter) · ${results.machine.cpuCount} × ${results.machine.cpus} · node ${results.machine.node} · ${results.date}`,
    "",
    "| scenario | wall ms | calls | lower bound | calls ÷ bound | peak RSS MB | outcome |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
    `simulator: lab-year loads in ${sim.labYearLoadMs} ms` +
      (sim.scale1mLoadMs === undefined ? "" : `, scale-1m in ${sim.scale1mLoadMs} ms`) +
      `; a 1,000-item data page is served in ${sim.page1000Ms.toFixed(1)} ms (median, no latency)`,
    ...download,
    ...renderDeliveryLatency(results.scenarios["delivery-latency"]),
  ].join("\n");
}

function renderDeliveryLatency(result: DeliveryLatencyResult | undefined): string[] {
  if (!result) return [];
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const events = result.events ? `; events reach watch ${s(result.events.delayMs)}–${s(result.events.delayMs + result.events.delayJitterMs)} s after the status change` : "";
  const faultRuns = Object.entries(result.modes).flatMap(([mode, m]) => {
    const f = m.underFaults;
    if (!f) return [];
    const rates = `${Math.round(f.lossRate * 100)} % / ${Math.round(f.duplicateRate * 100)} %`;
    return [`| ${mode} | ${rates} | ${f.eventsLost} / ${f.eventsDuplicated} | ${f.analyses} | ${f.missed} | ${s(f.p50Ms)} | ${s(f.p95Ms)} | ${s(f.maxMs)} |`];
  });
  const underFaults =
    faultRuns.length === 0
      ? []
      : [
          "",
          "the event modes again, with events lost and sent twice (missed above: the worse of the two runs):",
          "",
          "| mode | lost / duplicated | events lost / sent twice | analyses | missed | p50 s | p95 s | max s |",
          "|---|---|---:|---:|---:|---:|---:|---:|",
          ...faultRuns,
        ];
  return [
    "",
    `delivery-latency: analyses finishing within ${s(result.windowMs)} s; SUCCEEDED → manifest AVAILABLE${events}`,
    "",
    "| mode | analyses | missed | p50 s | p95 s | max s | calls per idle hour |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...Object.entries(result.modes).map(([mode, m]) => `| ${mode} | ${m.analyses} | ${m.missed} | ${s(m.p50Ms)} | ${s(m.p95Ms)} | ${s(m.maxMs)} | ${m.callsPerIdleHour} |`),
    ...underFaults,
  ];
}

function renderDownload(d: DownloadResult): string[] {
  const row = (what: string, t: z.infer<typeof transferSchema> | null, note = "") =>
    t ? `| ${what} | ${(t.wallMs / 1000).toFixed(1)} | ${t.mbPerS.toFixed(0)} | ${note} |` : `| ${what} | – | – | ${d.curlSkipped ?? ""} |`;
  const r = d.resume;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const reRead =
    r.bytesReRead === undefined || r.filesInFlightAtKill === undefined
      ? []
      : [
          `re-read: ${mib(r.bytesReRead)} sent twice (bound: one ${mib(d.partBytes)} part for each of the ${r.filesInFlightAtKill} files in flight); ` +
            `${r.partsContinuedOnResume ?? 0} parts continued from their checkpoint`,
        ];
  return [
    `download: ${d.files} files, ${(d.bytes / 1e9).toFixed(2)} GB over loopback, concurrency ${d.concurrency}, ${d.partBytes / 2 ** 20} MiB parts`,
    "",
    "| client | s | MB/s | notes |",
    "|---|---:|---:|---|",
    row("ica-orchestrator download", d.tool, `peak RSS ${d.tool.peakRssMb.toFixed(0)} MB, exit ${d.tool.exitCode}, verified${d.tool.cpuMs === undefined ? "" : `, ${(d.tool.cpuMs / 1000).toFixed(1)} s CPU`}`),
    row("curl, sequential", d.curlSequential),
    row(`curl, xargs -P ${d.concurrency}`, d.curlParallel),
    "",
    `resume after SIGKILL at ${Math.round((100 * r.partsDoneAtKill) / r.parts)} %: ${r.partsDoneAtKill} of ${r.parts} parts on disk, ` +
      `${r.partsInFlightAtKill} in flight; the resume fetched ${r.partsFetchedOnResume} parts for the ${r.partsLeft} left, exit ${r.exitCode}`,
    ...reRead,
  ];
}

/** The routes where a scenario spent the most calls, for the console. */
export function topRoutes(result: ScenarioResult, limit = 8): string[] {
  return Object.entries(result.callsByRoute)
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([route, calls]) => `${calls.toString().padStart(7)}  ${route}`);
}
