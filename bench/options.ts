import { Command, InvalidArgumentError } from "commander";
import { scenarioNames, type ScenarioName } from "./results.js";

export interface BenchOptions {
  latencyMs: number;
  latencyJitterMs: number;
  /** Where the results go. */
  out: string;
  /** Compare with `baseline` and fail on a regression. */
  check: boolean;
  baseline: string;
  scenarios: ReadonlySet<ScenarioName>;
  /** Keep the work directory (states, logs) after a successful run. */
  keep: boolean;
  /** delivery-latency's window, in which analyses finish (default 10 minutes). */
  latencyWindowMs: number;
  /** Runs of a scenario whose peak RSS is near the bound; the median is reported (measure.ts). */
  rssRuns: number;
}

const committedResults = "bench/results.json";
/** Where `--check` writes unless told otherwise: ignored by git, so checking never edits the baseline. */
const localResults = "bench/results.local.json";

const wholeMs = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number of milliseconds");
  return Number(value);
};

/** A whole number of `unit`, 1 or more. */
const atLeastOne =
  (unit: string) =>
  (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`expected a whole number of ${unit}, 1 or more`);
    return Number(value);
  };

const scenarioList = (value: string): ScenarioName[] => {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.filter((name) => !(scenarioNames as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`unknown scenario ${unknown.join(", ") || "(none)"}; use some of ${scenarioNames.join(", ")}`);
  }
  return names as ScenarioName[];
};

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command("bench")
    .description("Measures cycles against the simulator: wall time, API calls against their lower bound, peak RSS.")
    .option("--latency-ms <ms>", "latency the simulator adds to every request", wholeMs, 50)
    .option("--jitter-ms <ms>", "up to this much more, drawn per request", wholeMs, 10)
    .option("--out <file>", `results file (default ${committedResults}, with --check ${localResults})`)
    .option("--check", "fail (exit 1) on a > 20 % regression against the baseline", false)
    .option("--baseline <file>", "the results --check compares with", committedResults)
    .option("--scenarios <list>", `comma-separated subset of ${scenarioNames.join(", ")}`, scenarioList)
    .option("--quick", "the lab-year scenarios only (skips preparing scale-1m, which takes minutes)", false)
    .option("--keep", "keep the work directory (cycle logs, state dirs)", false)
    .option("--window-s <s>", "delivery-latency: the real-time window in which analyses finish (shorter: a quicker, rougher run)", atLeastOne("seconds"), 600)
    .option("--rss-runs <n>", "runs of a scenario whose peak RSS is near the 200 MB bound (the median is reported)", atLeastOne("runs"), 3)
    // Throw (CommanderError) instead of exiting the process: the tests parse bad options in a shared worker.
    .exitOverride()
    .parse(argv, { from: "user" });
  const o = program.opts<{
    latencyMs: number;
    jitterMs: number;
    out?: string;
    check: boolean;
    baseline: string;
    scenarios?: ScenarioName[];
    quick: boolean;
    keep: boolean;
    windowS: number;
    rssRuns: number;
  }>();
  const all = o.scenarios ?? [...scenarioNames];
  return {
    latencyMs: o.latencyMs,
    latencyJitterMs: o.jitterMs,
    out: o.out ?? (o.check ? localResults : committedResults),
    check: o.check,
    baseline: o.baseline,
    scenarios: new Set(o.quick ? all.filter((name) => name.startsWith("lab-year")) : all),
    keep: o.keep,
    latencyWindowMs: o.windowS * 1000,
    rssRuns: o.rssRuns,
  };
}
