import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { IcaClient } from "../../src/ica/client.js";
import { buildRelaunchRequest } from "../../src/modules/launch/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import { runFolderFromReference } from "../../src/orchestrator/plan/run-folder.js";
import { readManagedTable } from "../../src/state/index.js";
import { SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { SimTimings } from "../../src/simulator/context.js";
import type { Simulator } from "../../src/simulator/server.js";
import { demoTimings } from "../../src/cli/commands/demo.js";
import { capturedContext, tempDir } from "./helpers.js";
import { cliApiKey, simulatorArgs, startCliSimulator } from "./sim-setup.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(fixture: "demo" | "lab-year", timings: Partial<SimTimings> = {}) {
  const dir = await tempDir("ica-orch-requeue-");
  cleanups.push(() => dir.cleanup());
  const sim = await startCliSimulator(dir.path, { fixture, ...(Object.keys(timings).length > 0 ? { timings: { ...demoTimings, ...timings } } : {}) });
  cleanups.push(() => sim.stop());
  const cli = async (argv: string[]) => {
    const context = capturedContext({ cwd: dir.path });
    const code = await runCli([...argv, ...simulatorArgs(sim, dir.path)], context);
    return { code, out: context.out(), err: context.err() };
  };
  return { sim, cli, stateDir: join(dir.path, "state") };
}

/** Analysis-creation requests the simulator received. */
const creates = (sim: Simulator): number =>
  Object.entries(sim.stats().byRoute)
    .filter(([route]) => /^POST .*\/analysis:(nextflow|cwlWithStructuredInput)$/.test(route))
    .reduce((n, [, count]) => n + count, 0);

/** The plan table's summary line of the requeue step, as action → count. */
function requeueSummary(out: string): Record<string, number> {
  const line = /^requeue: (.*)$/m.exec(out)?.[1] ?? "";
  return Object.fromEntries([...line.matchAll(/([a-z-]+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

const requeueAll = ["--requeue_failed", "--requeue_within_days", "off"];

describe("requeue launches only what nobody has rerun, within a per-cycle cap (CLI, simulator)", () => {
  it("lab-year: of 28 failed runs, 22 already have a SUCCEEDED BCLConvert; plan shows the 6 others capped at 3 launches, with their cost", async () => {
    const { sim, cli } = await world("lab-year");
    const capped = await cli(["plan", ...requeueAll]);
    expect(capped.code).toBe(0);
    const summary = requeueSummary(capped.out);
    expect(summary["skip-rerun"]).toBe(22);
    expect(summary.requeue).toBe(3);
    expect(summary["skip-cap"]).toBe(3);
    expect(capped.out).toContain("! 3 BCLConvert launch(es) planned this cycle; estimated cost: 3 full BCLConvert run(s)");
    expect(capped.out).toContain("estimate basis: ");
    // 28 failed - 22 rerun = 6 launchable, 3 of them this cycle (the default cap); nothing was launched.
    expect(creates(sim)).toBe(0);
  }, 180_000);

  it.each([
    ["under another name (found by input ids)", "rerun by hand"],
    ["under the original's own user reference (found by run folder)", undefined],
  ])("demo: a person's relaunch %s keeps --requeue_failed from launching, while queued and once SUCCEEDED", async (_, name) => {
    const { sim, cli } = await world("demo");
    const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: cliApiKey });
    const source = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id ?? "";
    const failed = sim.fixture.ica.analyses.find((a) => a.id.startsWith("a0000006"));
    expect(failed?.status).toBe("FAILED");
    const original = await ica.getAnalysis(source, failed?.id ?? "");
    // What a person does in the ICA UI: the same analysis again, named as they like.
    await ica.createAnalysis(await buildRelaunchRequest(ica, source, original.id, { userReference: name ?? original.userReference }), "by-hand");
    expect(creates(sim)).toBe(1);

    const queued = await cli(["run", ...requeueAll]);
    expect(queued.out).not.toMatch(/^requeue/m);
    expect(creates(sim)).toBe(1);
    const plan = await cli(["plan", ...requeueAll, "--verbose"]);
    expect(requeueSummary(plan.out)).toEqual({ "skip-rerun": 1 });
    expect(plan.out).toMatch(/^ {2}skip-rerun: /m);
    expect(plan.out).toMatch(/^ {4}\S+ .*another BCLConvert analysis of this run, .* \((QUEUED|REQUESTED|INITIALIZING|IN_PROGRESS)\), exists: not launching/m);

    sim.advanceClock(3_600_000);
    await cli(["run", ...requeueAll]);
    const done = await cli(["plan", ...requeueAll, "--verbose"]);
    expect(done.out).toMatch(/^ {4}\S+ .*\(SUCCEEDED\), exists: not launching/m);
    expect(creates(sim)).toBe(1);
  });
});

describe("one run, one delivery: the first SUCCEEDED BCLConvert of a run is delivered, a later one is not (CLI, simulator)", () => {
  it("a person's relaunch of a delivered run SUCCEEDS: no second manifest, no FASTQ twice; plan and report say so", async () => {
    // The relaunch finishes at once: moving the simulator's clock instead would put it an hour ahead of
    // the CLI's, and the cycle's clock check would rightly refuse to retire anything.
    const { sim, cli, stateDir } = await world("demo", { icaAnalysisQueueMs: 0, icaAnalysisRunMs: 0 });
    const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: cliApiKey });
    const source = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id ?? "";
    const first = sim.fixture.ica.analyses.find((a) => a.status === "SUCCEEDED" && /bcl.*convert/i.test(a.pipelineCode) && runFolderFromReference(a.reference));
    if (!first) throw new Error("demo has no SUCCEEDED BCLConvert analysis named after its run folder");
    expect((await cli(["run"])).code).toBe(0);
    const table = join(stateDir, "analyses_managed_table.txt");
    expect((await readManagedTable(table)).rows.map((r) => r.analysisId)).toContain(first.id);

    const original = await ica.getAnalysis(source, first.id);
    const again = await ica.createAnalysis(await buildRelaunchRequest(ica, source, first.id, { userReference: original.userReference }), "by-hand-2");
    const plan = await cli(["plan", "--verbose"]);
    expect(plan.out).toMatch(new RegExp(`^ {4}${again.id} +${again.reference.slice(0, 20)}.*superseded, not delivered: its run is delivered as ${original.reference.slice(0, 20)}`, "m"));
    const run = await cli(["run"]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/manageNew +.*superseded 1/);
    const reportPath = /Report: (\S+)/.exec(run.out)?.[1] ?? "";
    const report = JSON.parse(await readFile(reportPath, "utf8")) as CycleReport;
    expect(report.actions.filter((a) => a.step === "manageNew")).toEqual([]);
    expect((await readManagedTable(table)).rows.map((r) => r.analysisId)).not.toContain(again.id);
  });
});
