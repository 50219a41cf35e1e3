import { describe, expect, it } from "vitest";
import { selectFastqs, type FileRecord } from "../../src/orchestrator/plan/fastq-selection.js";
import { manifestFileName, manifestFor } from "../../src/orchestrator/plan/manifest.js";
import { findNewAnalyses } from "../../src/orchestrator/plan/new-analyses.js";
import { planManageNew, type ManageAnalysisPlanInput } from "../../src/orchestrator/plan/plan-manage-new.js";
import { nextManifestNumber } from "../../src/orchestrator/plan/redelivery.js";

/** `redeliver`: the planner pieces (guarantee 7 of issue 13, 2 and 6 of issue 14). */
const run = "R1_a1b2c3_d4e5f6-BclConvert";
const bcl = (id: string, reference: string, timeCreated: string, status = "SUCCEEDED") => ({
  id,
  reference,
  timeCreated,
  status,
  pipeline: { id: "p", code: "BclConvert_v4" },
});
const fq = (id: string): FileRecord => ({ id, name: `M${id}.fastq.gz`, path: `/out/M${id}.fastq.gz`, sizeBytes: 10 });

describe("orchestrator/plan/redelivery: manifest names", () => {
  it("keeps the original name for a run's first manifest and numbers each later one past the highest there", () => {
    expect(nextManifestNumber(run, [])).toBe(0);
    expect(nextManifestNumber(run, [manifestFileName("other-run")])).toBe(0);
    expect(nextManifestNumber(run, [manifestFileName(run)])).toBe(1);
    expect(nextManifestNumber(run, [manifestFileName(run), manifestFileName(run, 1), manifestFileName(run, 3)])).toBe(4);
    // Another run whose name starts like this one's does not count.
    expect(nextManifestNumber(run, [manifestFileName(run), `${run}.x.redelivery-7.download_manifest.csv`])).toBe(1);
    expect(manifestFileName(run, 2)).toBe(`${run}.redelivery-2.download_manifest.csv`);
  });
});

describe("orchestrator/plan/new-analyses with redelivery requests", () => {
  const early = bcl("early", `${run}-1`, "2025-01-01");
  const late = bcl("late", `${run}-2`, "2025-02-01");

  it("manages a requested analysis even though it is in the table", () => {
    const found = findNewAnalyses({ analyses: [early], managedIds: new Set(["early"]), inFlight: [], redeliver: new Set(["early"]) });
    expect(found.toManage).toEqual([{ analysis: early, resume: null, redelivery: true }]);
    expect(found.unavailableRedeliveries).toEqual([]);
  });

  it("a superseded analysis asked for wins its run, named after the run's first delivery; that one is not reported as superseded", () => {
    const found = findNewAnalyses({ analyses: [early, late], managedIds: new Set(["early"]), inFlight: [], redeliver: new Set(["late"]) });
    expect(found.toManage).toEqual([{ analysis: late, resume: null, redelivery: true, runDeliveredAs: early }]);
    expect(found.superseded).toEqual([]);
    // A delivered analysis asked for again keeps its own manifest name.
    const both = findNewAnalyses({ analyses: [early, late], managedIds: new Set(["early", "late"]), inFlight: [], redeliver: new Set(["late"]) });
    expect(both.toManage).toEqual([{ analysis: late, resume: null, redelivery: true }]);
  });

  it("drops requests for ids the source does not list as BCLConvert, or whose analysis FAILED; keeps a running one", () => {
    const failed = bcl("failed", "R2_a1b2c3_d4e5f6-BclConvert", "2025-01-01", "FAILED");
    const running = bcl("running", "R3_a1b2c3_d4e5f6-BclConvert", "2025-01-01", "INPROGRESS");
    const found = findNewAnalyses({ analyses: [failed, running], managedIds: new Set(), inFlight: [], redeliver: new Set(["nope", "failed", "running"]) });
    expect(found.unavailableRedeliveries.map((r) => r.analysisId)).toEqual(["nope", "failed"]);
    expect(found.unavailableRedeliveries[1]?.why).toContain("FAILED");
    expect(found.pending.map((a) => a.id)).toEqual(["running"]);
  });
});

describe("orchestrator/plan/plan-manage-new for a redelivery", () => {
  const dest = { destinationProjectId: "dest", availableUntil: new Date("2025-08-01T00:00:00Z") };
  const input = (over: Partial<ManageAnalysisPlanInput>): ManageAnalysisPlanInput => {
    const selection = selectFastqs([fq("1"), fq("2")]);
    return { analysis: { id: "an-1", reference: run }, selection, linkedBefore: new Set(), manifest: "absent", manifestCsv: manifestFor(selection, dest), ...over };
  };

  it("links nothing the destination holds, uploads a manifest of its own and appends no second row", () => {
    const step = planManageNew({
      analyses: [input({ linkedBefore: new Set(["1", "2"]), redelivery: { manifest: { runId: run, redelivery: 2 }, inTable: true } })],
      pending: [],
      failed: [],
    });
    expect(step.items.map((i) => `${i.action} ${i.target.id}`)).toEqual([`upload-manifest ${run}.redelivery-2.download_manifest.csv`, "record an-1"]);
    expect(step.items[0]?.reason).toMatch(/^redelivery: a manifest of its own/);
    expect(step.items[1]?.reason).toContain("redeliver): its table row is already there");
  });

  it("delivers what remains of a held analysis, warning what is left out; without the request it stays held", () => {
    const selection = selectFastqs([fq("1")]);
    const held = input({ selection, manifestCsv: manifestFor(selection, dest), missing: ["/out/M2.fastq.gz"] });
    const asked = planManageNew({ analyses: [{ ...held, redelivery: { manifest: { runId: run, redelivery: 0 }, inTable: false } }], pending: [], failed: [] });
    expect(asked.items.map((i) => i.action)).toEqual(["link", "upload-manifest", "record"]);
    expect(asked.items[1]?.target.id).toBe(`${run}.download_manifest.csv`);
    expect(asked.warnings).toEqual([`${run}: redelivery without 1 selected FASTQ(s) gone from the source (/out/M2.fastq.gz); the manifest lists what remains`]);
    const waiting = planManageNew({ analyses: [held], pending: [], failed: [] });
    expect(waiting.items.map((i) => i.action)).toEqual(["skip"]);
    expect(waiting.items[0]?.reason).toContain("redeliver (delivers what remains)");
    expect(waiting.warnings[0]).toContain("run redeliver an-1 to deliver what remains");
  });

  it("links nothing while the destination holds other data at a FASTQ path, and says which", () => {
    const step = planManageNew({ analyses: [input({ occupied: ["/out/M1.fastq.gz"], redelivery: { manifest: { runId: run, redelivery: 1 }, inTable: false } })], pending: [], failed: [] });
    expect(step.items.map((i) => i.action)).toEqual(["skip"]);
    expect(step.warnings[0]).toContain("the destination holds other data at 1 of its FASTQ path(s) (/out/M1.fastq.gz)");
  });
});
