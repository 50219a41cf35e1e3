import { describe, expect, it } from "vitest";
import { describeRegression, findRegressions } from "../../bench/check.js";
import { withMedianRss } from "../../bench/measure.js";
import { parseBenchOptions } from "../../bench/options.js";
import { benchResultsSchema, mergeResults, renderResultsTable, type BenchResults, type ScenarioResult } from "../../bench/results.js";

const scenario = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  wallMs: 2_000,
  calls: 100,
  lowerBound: 90,
  ratio: 1.11,
  peakRssMb: 120,
  mutatingCalls: 0,
  callsByRoute: { "GET /v2/runs": 100 },
  lowerBoundTerms: { runPages: 90 },
  outcome: "ok",
  ...over,
});

const results = (over: Partial<ScenarioResult> = {}, top: Partial<BenchResults> = {}): BenchResults =>
  benchResultsSchema.parse({
    machine: { os: "Linux 6", cpus: "test cpu", cpuCount: 2, memoryGb: 8, node: "v20.0.0" },
    date: "2025-11-21T10:00:00.000Z",
    latencyMs: 50,
    latencyJitterMs: 10,
    simulator: { labYearLoadMs: 1_200, page1000Ms: 10 },
    scenarios: { "lab-year-steady": scenario(over) },
    ...top,
  });

describe("findRegressions", () => {
  it("fails more than 20 % more calls, wall time or RSS, and passes 20 % or less", () => {
    expect(findRegressions(results(), results({ calls: 120, wallMs: 2_400, peakRssMb: 144 }))).toEqual([]);
    const found = findRegressions(results(), results({ calls: 121, wallMs: 2_401, peakRssMb: 144.5 }));
    expect(found.map((r) => r.metric)).toEqual(["calls", "wallMs", "peakRssMb"]);
    expect(describeRegression(found[0]!)).toBe("lab-year-steady calls: 121 vs 100 committed (+21 %)");
  });

  it("counts every extra call, but ignores wall-time and RSS differences within the noise floors", () => {
    const small = results({ calls: 5, wallMs: 300, peakRssMb: 20 });
    expect(findRegressions(small, results({ calls: 7, wallMs: 440, peakRssMb: 29 })).map((r) => r.metric)).toEqual(["calls"]);
  });

  it("compares only the scenarios both runs have, and the simulator figures", () => {
    const subset = results({}, { scenarios: {}, simulator: { labYearLoadMs: 1_800, page1000Ms: 13 } });
    expect(findRegressions(results(), subset)).toEqual([
      { where: "simulator", metric: "labYearLoadMs", baseline: 1_200, current: 1_800 },
      { where: "simulator", metric: "page1000Ms", baseline: 10, current: 13 },
    ]);
  });

  it("refuses to compare wall times taken at another latency", () => {
    expect(() => findRegressions(results(), results({}, { latencyMs: 0 }))).toThrow(/same --latency-ms/);
  });
});

describe("parseBenchOptions and the table", () => {
  it("defaults to every scenario at 50 ms, writes the committed file, and --check writes the local one", () => {
    const plain = parseBenchOptions([]);
    expect({ ...plain, scenarios: [...plain.scenarios] }).toMatchObject({
      latencyMs: 50,
      latencyJitterMs: 10,
      out: "bench/results.json",
      check: false,
      rssRuns: 3,
      scenarios: ["lab-year-first", "lab-year-steady", "lab-year-dry", "scale-1m-first", "scale-1m-steady", "download", "delivery-latency"],
      latencyWindowMs: 600_000,
    });
    expect(parseBenchOptions(["--scenarios", "delivery-latency", "--window-s", "60"]).latencyWindowMs).toBe(60_000);
    expect(() => parseBenchOptions(["--window-s", "0"])).toThrow();
    expect(parseBenchOptions(["--rss-runs", "1"]).rssRuns).toBe(1);
    expect(parseBenchOptions(["--check"]).out).toBe("bench/results.local.json");
    expect([...parseBenchOptions(["--quick", "--latency-ms", "5"]).scenarios]).toEqual(["lab-year-first", "lab-year-steady", "lab-year-dry"]);
    expect([...parseBenchOptions(["--scenarios", "download"]).scenarios]).toEqual(["download"]);
    expect([...parseBenchOptions(["--scenarios", "lab-year-dry, scale-1m-steady"]).scenarios]).toEqual(["lab-year-dry", "scale-1m-steady"]);
  });

  it("a run of some scenarios keeps the others' figures, and prints the download's beside curl", () => {
    const download: NonNullable<BenchResults["download"]> = {
      date: "2026-12-06T06:00:00.000Z",
      files: 2,
      bytes: 2_200_000_000,
      concurrency: 8,
      partBytes: 8 * 2 ** 20,
      tool: { wallMs: 10_000, mbPerS: 220, peakRssMb: 120, exitCode: 0, cpuMs: 9_000 },
      curlSequential: { wallMs: 8_000, mbPerS: 275 },
      curlParallel: null,
      curlSkipped: "curl is not installed",
      resume: {
        partsDoneAtKill: 131,
        parts: 263,
        partsInFlightAtKill: 8,
        partsFetchedOnResume: 132,
        partsLeft: 132,
        exitCode: 0,
        filesInFlightAtKill: 2,
        partsContinuedOnResume: 8,
        bytesOnDiskAtKill: 1_100_000_000,
        bytesFetchedOnResume: 1_103_145_728,
        bytesReRead: 3 * 2 ** 20,
      },
    };
    const previous = { ...results(), simulator: { ...results().simulator, scale1mLoadMs: 19_000 } };
    const merged = mergeResults(previous, { ...results(), date: "2026-12-06T06:00:00.000Z", scenarios: {}, download });
    expect(merged).toEqual({ ...previous, download });
    const cycles = mergeResults(previous, { ...results(), scenarios: { "lab-year-dry": scenario() } });
    expect(Object.keys(cycles.scenarios).sort()).toEqual(["lab-year-dry", "lab-year-steady"]);
    expect(cycles.simulator.scale1mLoadMs).toBe(19_000);
    const table = renderResultsTable(merged);
    expect(table).toContain("| ica-orchestrator download | 10.0 | 220 | peak RSS 120 MB, exit 0, verified, 9.0 s CPU |");
    expect(table).toContain("| curl, xargs -P 8 | – | – | curl is not installed |");
    expect(table).toContain("resume after SIGKILL at 50 %: 131 of 263 parts on disk, 8 in flight; the resume fetched 132 parts for the 132 left");
    expect(table).toContain("re-read: 3.0 MiB sent twice (bound: one 8.0 MiB part for each of the 2 files in flight); 8 parts continued from their checkpoint");
  });

  it("prints one row per scenario and the simulator figures", () => {
    const table = renderResultsTable(results());
    expect(table).toContain("| lab-year-steady | 2,000 | 100 | 90 | 1.11 | 120 | ok |");
    expect(table).toContain("1,000-item data page is served in 10.0 ms");
  });
});

describe("withMedianRss", () => {
  const reruns = (mb: number[]) => {
    const asked: number[] = [];
    return { asked, rerun: (run: number) => Promise.resolve((asked.push(run), (mb[run - 2] ?? 0) * 1024)) };
  };

  it("runs a scenario near the 200 MB bound again and reports the median of the runs", async () => {
    const { asked, rerun } = reruns([150, 230]);
    const result = await withMedianRss(scenario({ peakRssMb: 190 }), 3, rerun);
    expect(asked).toEqual([2, 3]);
    expect(result.peakRssMb).toBe(190);
    expect(result.peakRssRunsMb).toEqual([190, 150, 230]);
  });

  it("keeps one run far below the bound, or when one run is asked for", async () => {
    const far = reruns([500, 500]);
    expect(await withMedianRss(scenario({ peakRssMb: 120 }), 3, far.rerun)).toEqual(scenario({ peakRssMb: 120 }));
    const once = reruns([500, 500]);
    expect((await withMedianRss(scenario({ peakRssMb: 199 }), 1, once.rerun)).peakRssMb).toBe(199);
    expect([...far.asked, ...once.asked]).toEqual([]);
  });
});
