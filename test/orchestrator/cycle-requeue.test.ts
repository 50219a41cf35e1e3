import { afterEach, describe, expect, it } from "vitest";
import type { SettingsDraft } from "../../src/config/index.js";
import { IcaClient } from "../../src/ica/client.js";
import { relaunchAnalysis, requeueUserReference } from "../../src/modules/launch/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import type { SimTimings } from "../../src/simulator/context.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { cycle, cycleSettings, instantTimings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

/** Relaunched analyses stay queued and running long enough for a cycle to see them unfinished. */
const launchTimings: Partial<SimTimings> = { ...instantTimings, icaAnalysisQueueMs: 60_000, icaAnalysisRunMs: 600_000 };
const launchMs = 660_000;
/** The demo's FAILED BCLConvert analysis ended ten days ago, outside the default three-day window. */
const requeueOn: Partial<SettingsDraft> = { requeueFailed: true, requeueWithinDays: null };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(fixture?: Fixture) {
  const sim = await startCycleSimulator({ timings: launchTimings, ...(fixture ? { fixture } : {}) });
  const state = await tempStateDir();
  cleanups.push(() => sim.stop(), () => state.remove());
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const failed = sim.fixture.ica.analyses.find((a) => a.id.startsWith("a0000006"));
  if (!failed) throw new Error("demo has no analysis a0000006");
  const source = sim.fixture.ica.projects.find((p) => p.name === "core-bssh-runs")?.id ?? "";
  const original = await ica.getAnalysis(source, failed.id);
  return { sim, ica, source, stateDir: state.dir, failedId: failed.id, original };
}

/** Analysis-creation requests the simulator received, whatever the pipeline's language. */
function creates(sim: Simulator): number {
  return Object.entries(sim.stats().byRoute)
    .filter(([route]) => /^POST .*\/analysis:(nextflow|cwlWithStructuredInput)$/.test(route))
    .reduce((n, [, count]) => n + count, 0);
}

const requeueStep = (report: CycleReport) => report.steps.find((s) => s.name === "requeue");
const requeueItems = (report: CycleReport) => report.plan.steps.find((s) => s.step === "requeue")?.items ?? [];
const attemptsOf = async (stateDir: string, id: string) => (await openJournal(statePaths(stateDir).journal)).data.requeues[id] ?? [];

describe("requeue of failed BCLConvert analyses (--requeue_failed)", () => {
  it("plans it in a dry run, relaunches it once, and the next cycle manages the relaunch like any other analysis", async () => {
    const { sim, ica, source, stateDir, failedId, original } = await world();
    const settings = cycleSettings(sim, stateDir, requeueOn);
    const asName = requeueUserReference(original.userReference, 1);

    const dry = await cycle(sim, { ...settings, dryRun: true });
    expect(requeueItems(dry)).toEqual([
      expect.objectContaining({ step: "requeue", action: "requeue", analysisId: failedId, reason: expect.stringContaining(`(as ${asName})`) }),
    ]);
    expect(sim.stats().mutating).toBe(0);

    const first = await cycle(sim, settings);
    expect(first.actions.filter((a) => a.step === "requeue")).toEqual([{ step: "requeue", action: "requeue", ids: [failedId], result: "ok" }]);
    expect(requeueStep(first)?.counts).toMatchObject({ "planned requeue": 1, requeued: 1 });
    const [attempt] = await attemptsOf(stateDir, failedId);
    expect(attempt).toMatchObject({ attempt: 1, userReference: asName, analysisId: expect.any(String) });
    const relaunched = await ica.getAnalysis(source, attempt?.analysisId ?? "");
    expect(relaunched).toMatchObject({ userReference: asName, pipeline: { code: original.pipeline.code } });
    expect(creates(sim)).toBe(1);

    // Still queued: the requeue waits, manageNew reports it pending, nothing is launched again.
    const second = await cycle(sim, settings);
    expect(requeueItems(second).map((i) => i.action)).toEqual(["wait"]);
    expect(second.steps.find((s) => s.name === "manageNew")?.counts.pending).toBe(3);
    expect(creates(sim)).toBe(1);

    sim.advanceClock(launchMs);
    const third = await cycle(sim, settings);
    expect(third.outcome).toBe("ok");
    expect(requeueItems(third)).toEqual([]);
    const linked = third.actions.filter((a) => a.action === "link" && a.result === "ok").flatMap((a) => a.paths ?? []);
    expect(linked.sort()).toEqual(
      ["1_R1", "1_R2", "2_R1", "2_R2"].map(
        (lane) => `/ilmn-analyses/${relaunched.reference}/output/Samples/Lane_${lane[0]}/M-106-001/M-106-001_S1_L00${lane}_001.fastq.gz`,
      ),
    );
    expect(third.actions).toContainEqual(expect.objectContaining({ action: "upload-manifest", result: "ok", paths: [`/fastq_manifests/${relaunched.reference}.download_manifest.csv`] }));
    const table = await readManagedTable(settings.managedTablePath);
    expect(table.rows).toContainEqual({ analysisId: relaunched.id, runId: relaunched.reference });
    expect(table.rows.map((r) => r.analysisId)).not.toContain(failedId);
    expect(creates(sim)).toBe(1);
  });

  it("stops at max_requeues and then reports that people have to look", async () => {
    const demo = namedFixture("demo");
    const failing: Fixture = {
      ...demo,
      ica: { ...demo.ica, analyses: demo.ica.analyses.map((a) => (a.id.startsWith("a0000006") ? { ...a, requeueOutcome: "FAILED" as const } : a)) },
    };
    const { sim, stateDir, failedId } = await world(failing);
    const settings = cycleSettings(sim, stateDir, { ...requeueOn, maxRequeues: 2 });

    await cycle(sim, settings);
    expect(creates(sim)).toBe(1);
    sim.advanceClock(launchMs);
    const second = await cycle(sim, settings);
    expect(requeueItems(second)).toEqual([expect.objectContaining({ action: "requeue", reason: expect.stringMatching(/^attempt 1 FAILED: requeue 2 of 2/) })]);
    expect(creates(sim)).toBe(2);
    sim.advanceClock(launchMs);
    for (const report of [await cycle(sim, settings), await cycle(sim, settings)]) {
      expect(report.outcome).toBe("failures");
      expect(report.errors).toEqual([expect.stringMatching(/^\[requeue\] .*: attempt 2 FAILED; all 2 requeue\(s\) used: look at the logs in ICA$/)]);
    }
    expect(creates(sim)).toBe(2);
    expect((await attemptsOf(stateDir, failedId)).map((a) => a.attempt)).toEqual([1, 2]);
  });

  it("never launches twice across a crash right after the attempt was saved", async () => {
    const { sim, stateDir, failedId, original } = await world();
    const settings = cycleSettings(sim, stateDir, requeueOn);
    const asName = requeueUserReference(original.userReference, 1);
    // What a cycle killed between saving the attempt and sending it leaves behind.
    const journal = await openJournal(statePaths(stateDir).journal);
    journal.recordRequeueAttempt(failedId, 1, asName);
    await journal.save();

    const report = await cycle(sim, settings);
    expect(requeueItems(report)).toEqual([expect.objectContaining({ action: "requeue", reason: expect.stringMatching(/^attempt 1 was recorded/) })]);
    expect(creates(sim)).toBe(1);
    expect(await attemptsOf(stateDir, failedId)).toEqual([expect.objectContaining({ attempt: 1, analysisId: expect.any(String) })]);
    await cycle(sim, settings);
    expect(creates(sim)).toBe(1);
  });

  it("never launches twice across a crash after ICA accepted the launch but before its id was saved", async () => {
    const { sim, ica, source, stateDir, failedId, original } = await world();
    const settings = cycleSettings(sim, stateDir, requeueOn);
    const asName = requeueUserReference(original.userReference, 1);
    const journal = await openJournal(statePaths(stateDir).journal);
    journal.recordRequeueAttempt(failedId, 1, asName);
    await journal.save();
    const launched = await relaunchAnalysis(ica, source, failedId, { userReference: asName, idempotencyKey: `requeue-${failedId}-1` });
    expect(creates(sim)).toBe(1);

    const report = await cycle(sim, settings);
    expect(requeueItems(report).map((i) => i.action)).toEqual(["adopt"]);
    expect(requeueStep(report)?.counts.adopted).toBe(1);
    expect(report.actions.filter((a) => a.step === "requeue")).toEqual([]);
    expect(creates(sim)).toBe(1);
    expect(await attemptsOf(stateDir, failedId)).toEqual([expect.objectContaining({ attempt: 1, analysisId: launched.analysis.id })]);
  });
});
