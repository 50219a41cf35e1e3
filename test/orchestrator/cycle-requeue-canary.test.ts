// Issue 15 item 5 for the billed action of --requeue_failed: the first relaunch against an account goes
// alone, a later cycle reads it back from the source project, and only then do the others go.
import { afterEach, describe, expect, it } from "vitest";
import { LedgerState } from "../../src/assumptions/index.js";
import type { SettingsDraft } from "../../src/config/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { statePaths } from "../../src/state/index.js";
import { cycle, cycleSettings, instantTimings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

/** Relaunches stay queued a minute, then run ten. */
const queueMs = 60_000;
const requeueOn: Partial<SettingsDraft> = { requeueFailed: true, requeueWithinDays: null, canary: "on" };

/** The demo with a second failed BCLConvert analysis (row 7, of another run), so there is a rest to hold back. */
function twoFailed(): Fixture {
  const demo = namedFixture("demo");
  const analyses = demo.ica.analyses.map((a) => (a.id.startsWith("a0000007") ? { ...a, status: "FAILED" as const } : a));
  return { ...demo, ica: { ...demo.ica, analyses } };
}

/** Analysis-creation requests the simulator received so far. */
function creates(sim: Simulator): number {
  return Object.entries(sim.stats().byRoute)
    .filter(([route]) => /^POST .*\/analysis:(nextflow|cwlWithStructuredInput)$/.test(route))
    .reduce((n, [, count]) => n + count, 0);
}

const requeueReasons = (report: CycleReport) =>
  (report.plan.steps.find((s) => s.step === "requeue")?.items ?? []).map((i) => `${i.action}: ${i.reason}`);
const warnings = (report: CycleReport) => [...report.warnings, ...report.steps.flatMap((s) => s.warnings ?? [])].join("\n");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function account(overrides: Partial<SettingsDraft> = {}) {
  const sim = await startCycleSimulator({ fixture: twoFailed(), timings: { ...instantTimings, icaAnalysisQueueMs: queueMs, icaAnalysisRunMs: 600_000 } });
  const state = await tempStateDir();
  cleanups.push(() => sim.stop(), () => state.remove());
  const root = statePaths(state.dir).root;
  const settings = cycleSettings(sim, state.dir, { ...requeueOn, ...overrides });
  return { sim, root, run: () => cycle(sim, settings), ledger: () => LedgerState.load(root) };
}

describe("the relaunch canary (ica-relaunch)", () => {
  it("relaunches one analysis, holds the rest while it is queued, and relaunches the rest once it is read back started", async () => {
    const { sim, run, ledger } = await account();
    const first = await run();
    expect(creates(sim)).toBe(1);
    expect(requeueReasons(first)).toEqual([
      expect.stringMatching(/^requeue: .*; canary: 1 of 2 ica-relaunch, rest after confirmation/),
      expect.stringMatching(/^wait: canary: 1 of 2 ica-relaunch, rest after confirmation; would requeue/),
    ]);
    expect((await ledger()).canaries.of("ica-relaunch")).toMatchObject({ state: "applied", item: { id: expect.any(String), label: expect.stringMatching(/-requeue-1$/) } });

    // Still queued: nothing to confirm yet, nothing else launched.
    const second = await run();
    expect(creates(sim)).toBe(1);
    expect(requeueReasons(second)).toContainEqual(expect.stringMatching(/^wait: canary: ica-relaunch applied to .*-requeue-1 .*; the rest after its confirmation; would requeue/));
    expect((await ledger()).canaries.of("ica-relaunch")?.state).toBe("applied");

    sim.advanceClock(queueMs + 1_000);
    const third = await run();
    const state = await ledger();
    expect(state.canaries.of("ica-relaunch")).toMatchObject({ state: "confirmed", evidence: expect.stringMatching(/read back IN_PROGRESS, started .*, with the userReference sent and the original's pipeline$/) });
    expect(state.of("ica.relaunch-definition")).toMatchObject({ state: "confirmed" });
    expect(creates(sim)).toBe(2);
    expect(third.actions.filter((a) => a.step === "requeue" && a.result === "ok")).toHaveLength(1);
  });

  it("a relaunch that fails before it starts is a contradiction: no relaunch until ack, then one again", async () => {
    const { sim, root, run, ledger } = await account();
    sim.setAssumptions({ "ica.relaunch-definition": "fails-before-start" });
    await run();
    expect(creates(sim)).toBe(1);
    sim.advanceClock(queueMs + 1_000);

    const second = await run();
    expect(warnings(second)).toContain("canary of ica-relaunch contradicted");
    expect((await ledger()).canaries.of("ica-relaunch")).toMatchObject({ state: "contradicted", evidence: expect.stringMatching(/read back FAILED without ever starting, after ICA accepted the relaunch$/) });
    // The other analysis is stopped (the canary's own original has used its one requeue, max_requeues 1).
    expect(requeueReasons(second)).toEqual([
      expect.stringMatching(/^give-up: attempt 1 FAILED; all 1 requeue\(s\) used/),
      expect.stringMatching(/^skip: canary of ica-relaunch contradicted .*; stopped until `ica-orchestrator ack ica-relaunch`; would requeue/),
    ]);
    await run();
    expect(creates(sim)).toBe(1);

    const acked = await LedgerState.load(root);
    expect(acked.canaries.acknowledge("ica-relaunch")).toBe(true);
    await acked.save(() => undefined);
    const afterAck = await run();
    expect(creates(sim)).toBe(2);
    expect(requeueReasons(afterAck)).toContainEqual(expect.stringMatching(/^requeue: .*; canary: 1 of 1 ica-relaunch, rest after confirmation/));
  });

  it("--canary off relaunches every failed analysis in the first cycle and records no canary", async () => {
    const { sim, run, ledger } = await account({ canary: "off" });
    const first = await run();
    expect(creates(sim)).toBe(2);
    expect(requeueReasons(first).join("\n")).not.toContain("canary");
    expect((await ledger()).canaries.of("ica-relaunch")).toBeUndefined();
  });
});
