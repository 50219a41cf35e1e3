import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  attemptListingGraceMs,
  launchCostLine,
  planRequeues,
  requeueStepPlan,
  type RequeueAttempt,
  type RequeueCandidate,
  type RequeueSettings,
} from "../../src/orchestrator/plan/plan-requeue.js";
import { createPlan, renderPlanTable } from "../../src/orchestrator/plan/render-plan.js";
import { inputCheckCandidates } from "../../src/orchestrator/plan/same-run.js";

const now = new Date("2025-06-10T12:00:00Z");
const hoursAgo = (h: number): string => new Date(now.getTime() - h * 3_600_000).toISOString();
const on: RequeueSettings = { requeueFailed: true, maxRequeues: 1, requeueWithinDays: 3, maxRequeuesPerCycle: 10 };

const analysis = (id: string, status: string, extra: Partial<RequeueCandidate> = {}): RequeueCandidate => ({
  id,
  reference: `run${id}-BclConvert-${id}`,
  userReference: `run${id}`,
  status,
  pipeline: { id: "p", code: "BclConvert_v4_2_7" },
  timeCreated: hoursAgo(30),
  endDate: status === "IN_PROGRESS" ? null : hoursAgo(24),
  ...extra,
});
const attempt = (n: number, userReference: string, analysisId?: string, requestedAt = hoursAgo(20)): RequeueAttempt => ({
  attempt: n,
  userReference,
  requestedAt,
  ...(analysisId ? { analysisId } : {}),
});
const plan = (analyses: RequeueCandidate[], attempts: Record<string, RequeueAttempt[]> = {}, settings = on) =>
  planRequeues({ analyses, attempts, settings, now });
const summary = (items: ReturnType<typeof plan>["items"]) => items.map((i) => [i.action, i.analysisId, i.attempt, i.newAnalysisId ?? null]);

describe("orchestrator/plan/requeue", () => {
  it("plans nothing unless requeue_failed is on", () => {
    expect(plan([analysis("1", "FAILED")], {}, { ...on, requeueFailed: false })).toEqual({ items: [], outsideWindow: 0 });
  });

  it("requeues recent FAILED and FAILED_FINAL BCLConvert analyses once, with a fixed userReference and key", () => {
    const result = plan([
      analysis("1", "FAILED"),
      analysis("2", "FAILED_FINAL"),
      analysis("3", "ABORTED"),
      analysis("4", "SUCCEEDED"),
      analysis("5", "FAILED", { pipeline: { id: "d", code: "DRAGEN_Germline" } }),
      analysis("6", "FAILED", { endDate: hoursAgo(24 * 3 + 1) }),
      analysis("7", "FAILED", { endDate: null, timeCreated: hoursAgo(10) }),
      analysis("1", "FAILED"),
    ]);
    expect(result.items).toEqual([
      {
        action: "requeue",
        target: { kind: "analysis", id: "1", name: "run1-BclConvert-1" },
        analysisId: "1",
        attempt: 1,
        userReference: "run1-requeue-1",
        idempotencyKey: "requeue-1-1",
        reason: "FAILED: requeue 1 of 1",
      },
      expect.objectContaining({ action: "requeue", analysisId: "2", userReference: "run2-requeue-1" }),
      expect.objectContaining({ action: "requeue", analysisId: "7" }),
    ]);
    expect(result.outsideWindow).toBe(1);
    expect(plan([analysis("6", "FAILED", { endDate: hoursAgo(24 * 300) })], {}, { ...on, requeueWithinDays: null }).items).toHaveLength(1);
    expect(plan([analysis("1", "FAILED")], {}, { ...on, maxRequeues: 0 }).items).toEqual([]);
  });

  it("sends a recorded attempt again when no analysis carries its userReference (the crash came before ICA answered)", () => {
    const result = plan([analysis("1", "FAILED")], { "1": [attempt(1, "run1-requeue-1")] });
    expect(result.items).toEqual([
      expect.objectContaining({ action: "requeue", attempt: 1, userReference: "run1-requeue-1", idempotencyKey: "requeue-1-1", resumed: true }),
    ]);
  });

  it("adopts an attempt the listing shows but the journal has no id for, and never launches it again", () => {
    const launched = analysis("9", "IN_PROGRESS", { userReference: "run1-requeue-1" });
    const recorded = plan([analysis("1", "FAILED"), launched], { "1": [attempt(1, "run1-requeue-1")] });
    expect(summary(recorded.items)).toEqual([["adopt", "1", 1, "9"]]);
    // The journal was lost altogether: the name alone ties the relaunch to its original, and the
    // relaunch (FAILED or not) is never taken for an original of its own.
    const lost = plan([analysis("1", "FAILED"), { ...launched, status: "FAILED" }], {});
    expect(summary(lost.items)).toEqual([["adopt", "1", 1, "9"]]);
  });

  it("waits for a running attempt, is done after a success, gives up when the budget is spent, else goes on", () => {
    const attempts = { "1": [attempt(1, "run1-requeue-1", "9")] };
    const rerun = (status: string) => analysis("9", status, { userReference: "run1-requeue-1", endDate: hoursAgo(1) });
    expect(summary(plan([analysis("1", "FAILED"), rerun("QUEUED")], attempts).items)).toEqual([["wait", "1", 1, "9"]]);
    expect(plan([analysis("1", "FAILED"), rerun("SUCCEEDED")], attempts).items).toEqual([]);
    const spent = plan([analysis("1", "FAILED"), rerun("FAILED")], attempts).items;
    expect(spent).toEqual([expect.objectContaining({ action: "give-up", attempt: 1, reason: "attempt 1 FAILED; all 1 requeue(s) used: look at the logs in ICA" })]);
    const more = plan([analysis("1", "FAILED"), rerun("FAILED")], attempts, { ...on, maxRequeues: 2 }).items;
    expect(more).toEqual([expect.objectContaining({ action: "requeue", attempt: 2, userReference: "run1-requeue-2", idempotencyKey: "requeue-1-2" })]);
  });

  it("waits a while for a recorded analysis the listing does not show yet, then gives up on it", () => {
    const fresh = { "1": [attempt(1, "run1-requeue-1", "9", new Date(now.getTime() - attemptListingGraceMs + 1).toISOString())] };
    expect(summary(plan([analysis("1", "FAILED")], fresh).items)).toEqual([["wait", "1", 1, null]]);
    const old = { "1": [attempt(1, "run1-requeue-1", "9", hoursAgo(2))] };
    expect(plan([analysis("1", "FAILED")], old).items).toEqual([
      expect.objectContaining({ action: "give-up", reason: "attempt 1 (9) is no longer listed (deleted?): not requeueing again" }),
    ]);
  });

  it("becomes the requeue step of the cycle's plan", () => {
    const result = plan([analysis("1", "FAILED"), analysis("6", "FAILED", { endDate: hoursAgo(24 * 10) })]);
    const step = requeueStepPlan(result);
    expect(step).toEqual({
      step: "requeue",
      items: [
        {
          step: "requeue",
          action: "requeue",
          target: { kind: "analysis", id: "1", name: "run1-BclConvert-1" },
          analysisId: "1",
          reason: "FAILED: requeue 1 of 1 (as run1-requeue-1)",
        },
      ],
      warnings: [launchCostLine(1), "1 older failure(s) outside the requeue window (requeue_within_days) left alone"],
    });
    expect(launchCostLine(1)).toMatch(/^1 BCLConvert launch\(es\) planned this cycle; estimated cost: 1 full BCLConvert run\(s\) .*\(estimate basis: /);
    expect(renderPlanTable(createPlan(now, [step]))).toContain("requeue: requeue 1\n");
    expect(requeueStepPlan({ items: [], outsideWindow: 0 })).toEqual({ step: "requeue", items: [], warnings: [] });
  });

  describe("launches only what nobody has rerun", () => {
    /** A run-folder reference, as ICA names BCLConvert analyses: `<runFolder>_<6 hex>_<6 hex>-<pipeline>-<id>`. */
    const ofRun = (id: string, folder: string, status: string, extra: Partial<RequeueCandidate> = {}) =>
      analysis(id, status, { reference: `${folder}_a1b2c3_d4e5f6-BclConvert-${id}`, userReference: `${folder}_a1b2c3_d4e5f6`, ...extra });

    it.each(["SUCCEEDED", "QUEUED", "IN_PROGRESS", "REQUESTED"])("launches nothing when another analysis of the run is %s, whatever its name", (status) => {
      const byHand = ofRun("2", "R1", status, { userReference: "rerun by Anna", timeCreated: hoursAgo(5) });
      expect(summary(plan([ofRun("1", "R1", "FAILED"), byHand]).items)).toEqual([["skip-rerun", "1", 1, "2"]]);
    });

    it("still launches when the other analyses of the run failed too, or belong to another run", () => {
      const result = plan([ofRun("1", "R1", "FAILED"), ofRun("2", "R1", "ABORTED"), ofRun("3", "R2", "SUCCEEDED")]);
      expect(summary(result.items)).toEqual([["requeue", "1", 1, null]]);
    });

    it("launches one of two failed analyses of one run, and takes a rerun found by input ids", () => {
      expect(summary(plan([ofRun("1", "R1", "FAILED"), ofRun("2", "R1", "FAILED_FINAL")]).items)).toEqual([
        ["requeue", "1", 1, null],
        ["skip-rerun", "2", 1, "1"],
      ]);
      const byInputs = analysis("7", "SUCCEEDED", { reference: "hand-BclConvert-7", userReference: "hand" });
      const result = planRequeues({ analyses: [analysis("1", "FAILED"), byInputs], attempts: {}, settings: on, now, reruns: new Map([["1", byInputs]]) });
      expect(summary(result.items)).toEqual([["skip-rerun", "1", 1, "7"]]);
    });

    it("never resends a recorded attempt once its failure has left the window, nor one whose run was rerun", () => {
      const old = analysis("1", "FAILED", { endDate: hoursAgo(24 * 10) });
      expect(plan([old], { "1": [attempt(1, "run1-requeue-1", undefined, hoursAgo(24 * 9))] })).toEqual({ items: [], outsideWindow: 1 });
      // Attempt 2 is judged by attempt 1's failure, which is recent.
      const firstTry = analysis("9", "FAILED", { userReference: "run1-requeue-1", endDate: hoursAgo(2) });
      const second = plan([old, firstTry], { "1": [attempt(1, "run1-requeue-1", "9"), attempt(2, "run1-requeue-2")] }, { ...on, maxRequeues: 2 });
      expect(summary(second.items)).toEqual([["requeue", "1", 2, null]]);
      const resumedRerun = plan([ofRun("1", "R1", "FAILED"), ofRun("2", "R1", "SUCCEEDED")], { "1": [attempt(1, "R1_a1b2c3_d4e5f6-requeue-1")] });
      expect(summary(resumedRerun.items)).toEqual([["skip-rerun", "1", 1, "2"]]);
    });

    it("holds max_requeues_per_cycle: resumed and new launches together, the rest wait as skip-cap", () => {
      const failed = ["1", "2", "3", "4"].map((id) => analysis(id, "FAILED"));
      const result = plan(failed, { "4": [attempt(1, "run4-requeue-1")] }, { ...on, maxRequeuesPerCycle: 2 });
      expect(result.items.map((i) => i.action)).toEqual(["requeue", "requeue", "skip-cap", "skip-cap"]);
      expect(result.items[2]?.reason).toMatch(/deferred: max_requeues_per_cycle \(2\) launches are planned this cycle already$/);
      expect(requeueStepPlan(result).warnings[0]).toBe(launchCostLine(2));
      expect(plan(failed, {}, { ...on, maxRequeuesPerCycle: 0 }).items.every((i) => i.action === "skip-cap")).toBe(true);
    });

    it("compares input ids only with live or SUCCEEDED analyses created after the failure whose name does not tell their run", () => {
      const original = ofRun("1", "R1", "FAILED", { timeCreated: hoursAgo(30) });
      const candidates = inputCheckCandidates(original, [
        original,
        analysis("2", "SUCCEEDED", { reference: "hand-BclConvert-2", timeCreated: hoursAgo(5) }),
        analysis("3", "FAILED", { reference: "hand2-BclConvert-3", timeCreated: hoursAgo(5) }),
        analysis("4", "SUCCEEDED", { reference: "older-BclConvert-4", timeCreated: hoursAgo(40) }),
        ofRun("5", "R2", "SUCCEEDED", { timeCreated: hoursAgo(5) }),
        analysis("6", "SUCCEEDED", { reference: "x-DRAGEN-6", pipeline: { id: "d", code: "DRAGEN_Germline" }, timeCreated: hoursAgo(5) }),
      ]);
      expect(candidates.map((a) => a.id)).toEqual(["2"]);
    });
  });

  it("property: cycles that crash anywhere start no attempt twice, none beyond max_requeues, none before the previous one failed", () => {
    const step = fc.record({
      crash: fc.constantFrom("none", "after-record", "after-create"),
      outcome: fc.constantFrom("FAILED", "SUCCEEDED", "IN_PROGRESS"),
      listingLags: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.array(step, { minLength: 1, maxLength: 12 }), (maxRequeues, perCycle, cycles) => {
        const ica: RequeueCandidate[] = [analysis("1", "FAILED"), analysis("2", "FAILED_FINAL")];
        const journal: Record<string, RequeueAttempt[]> = {};
        const settings = { ...on, maxRequeues, maxRequeuesPerCycle: perCycle };
        let created = 0;
        for (const cycle of cycles) {
          // A lagging listing does not show analyses created in the previous cycle yet.
          const listing = cycle.listingLags ? ica.slice(0, ica.length - 1) : [...ica];
          const items = planRequeues({ analyses: listing, attempts: journal, settings, now }).items;
          expect(items.filter((i) => i.action === "requeue").length).toBeLessThanOrEqual(perCycle);
          for (const item of items) {
            const attempts = (journal[item.analysisId] ??= []);
            const record = attempts.find((a) => a.attempt === item.attempt);
            if (item.action === "adopt" && record && item.newAnalysisId) record.analysisId = item.newAnalysisId;
            if (item.action !== "requeue") continue;
            if (!record) attempts.push({ attempt: item.attempt, userReference: item.userReference, requestedAt: now.toISOString() });
            if (cycle.crash === "after-record") break;
            // relaunchAnalysis: a name ICA already has is adopted (ICA's own view, never lagging).
            let launched = ica.find((a) => a.userReference === item.userReference);
            if (!launched) {
              // A further attempt only ever follows a failed one.
              if (item.attempt > 1) {
                const previous = ica.find((a) => a.userReference === item.userReference.replace(/-\d+$/, `-${item.attempt - 1}`));
                expect(previous?.status).toBe("FAILED");
              }
              created += 1;
              launched = analysis(`n${created}`, cycle.outcome, { userReference: item.userReference, endDate: hoursAgo(1) });
              ica.push(launched);
            }
            if (cycle.crash === "after-create") break;
            const stored = attempts.find((a) => a.attempt === item.attempt);
            if (stored) stored.analysisId = launched.id;
          }
        }
        const names = ica.map((a) => a.userReference);
        expect(new Set(names).size).toBe(names.length);
        for (const original of ["run1", "run2"]) {
          expect(names.filter((n) => n.startsWith(`${original}-requeue-`)).length).toBeLessThanOrEqual(maxRequeues);
        }
      }),
      { numRuns: 300 },
    );
  });
});
