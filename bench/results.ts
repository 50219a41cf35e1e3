import { readFile } from "node:fs/promises";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";

export const scenarioNames = ["lab-year-first", "lab-year-steady", "lab-year-dry", "scale-1m-steady"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

const count = z.int().nonnegative();

const scenarioResultSchema = z.strictObject({
  wallMs: count,
  calls: count,
  lowerBound: count,
  /** calls ÷ lowerBound, two decimals. */
  ratio: z.number().nonnegative(),
  peakRssMb: z.number().nonnegative(),
  /** Calls other than reads (0 for a dry run and for a steady cycle). */
  mutatingCalls: count,
  callsByRoute: z.record(z.string(), count),
  lowerBoundTerms: z.record(z.string(), count),
  /** The cycle's own verdict, so a cycle that failed is not mistaken for a fast one. */
  outcome: z.string(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

const simulatorFiguresSchema = z.strictObject({
  labYearLoadMs: count,
  scale1mLoadMs: count.optional(),
  /** Median time to serve a 1,000-item ICA data page (cursor), no latency injected, over HTTP. */
  page1000Ms: z.number().nonnegative(),
});

/** @internal exported for the tests */
export const benchResultsSchema = z.strictObject({
  machine: z.strictObject({ os: z.string(), cpus: z.string(), cpuCount: count, memoryGb: z.number(), node: z.string() }),
  date: z.iso.datetime(),
  latencyMs: count,
  latencyJitterMs: count,
  simulator: simulatorFiguresSchema,
  scenarios: z.partialRecord(z.enum(scenarioNames), scenarioResultSchema),
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

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(benchResultsSchema.parse(results), null, 2)}\n`);
}

/** The markdown table printed after a run. */
export function renderResultsTable(results: BenchResults): string {
  const rows = scenarioNames.flatMap((name) => {
    const r = results.scenarios[name];
    if (!r) return [];
    return [
      `| ${name} | ${r.wallMs.toLocaleString("en-US")} | ${r.calls.toLocaleString("en-US")} | ${r.lowerBound.toLocaleString("en-US")} | ${r.ratio.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.outcome} |`,
    ];
  });
  const sim = results.simulator;
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
  ].join("\n");
}

/** The routes where a scenario spent the most calls, for the console. */
export function topRoutes(result: ScenarioResult, limit = 8): string[] {
  return Object.entries(result.callsByRoute)
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([route, calls]) => `${calls.toString().padStart(7)}  ${route}`);
}
