import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectFastqs, type FileRecord } from "../../src/orchestrator/plan/fastq-selection.js";
import { isTerminalBatchStatus } from "../../src/modules/data-transfer/index.js";
import { chooseDeliveries, supersededItems } from "../../src/orchestrator/plan/delivery-policy.js";
import { assessLinking, idsToLink, recordReadiness } from "../../src/orchestrator/plan/link-progress.js";
import { manifestFor } from "../../src/orchestrator/plan/manifest.js";
import { planManageNew, type ManageAnalysisPlanInput } from "../../src/orchestrator/plan/plan-manage-new.js";
import { findNewAnalyses, type SourceAnalysis } from "../../src/orchestrator/plan/new-analyses.js";

const a = (id: string, status: string, pipelineCode = "BclConvert_v4_1_23"): SourceAnalysis => ({
  id,
  reference: `ref-${id}`,
  pipeline: { id: `p-${pipelineCode}`, code: pipelineCode },
  status,
});
const fq = (id: string, sizeBytes = 10): FileRecord => ({ id, name: `M${id}.fastq.gz`, path: `/out/M${id}.fastq.gz`, sizeBytes });

describe("orchestrator/plan/new-analyses", () => {
  it("picks new SUCCEEDED BCLConvert analyses, reports pending and failed, resumes journal work", () => {
    const result = findNewAnalyses({
      analyses: [
        a("1", "SUCCEEDED"),
        a("2", "SUCCEEDED"),
        a("3", "INPROGRESS"),
        a("4", "FAILED"),
        a("5", "SUCCEEDED", "DRAGEN_Germline"),
        a("6", "SUCCEEDED", "bcl-CONVERT"),
        a("1", "SUCCEEDED"),
        a("7", "FAILEDFINAL"),
        a("8", "SOME_NEW_STATUS"),
      ],
      managedIds: new Set(["2"]),
      inFlight: [
        { analysisId: "1", batchId: "b-1" },
        { analysisId: "2", batchId: "b-2" },
        { analysisId: "gone", batchId: "b-3" },
      ],
    });
    expect(result.toManage).toEqual([
      { analysis: a("1", "SUCCEEDED"), resume: { analysisId: "1", batchId: "b-1" }, redelivery: false },
      { analysis: a("6", "SUCCEEDED", "bcl-CONVERT"), resume: null, redelivery: false },
    ]);
    expect(result.pending.map((x) => x.id)).toEqual(["3", "8"]);
    expect(result.failed.map((x) => x.id)).toEqual(["4", "7"]);
    expect(result.alreadyManaged).toBe(1);
    expect(result.staleInFlight.map((r) => r.batchId)).toEqual(["b-2", "b-3"]);
  });

  it("honours a configured pipeline pattern", () => {
    const result = findNewAnalyses({ analyses: [a("1", "SUCCEEDED", "MyConverter")], managedIds: new Set(), inFlight: [], pipelinePattern: /^myconv/gi });
    expect(result.toManage).toHaveLength(1);
  });

  it("property: nothing in the managed table is managed again, each new analysis once", () => {
    const analysisArb = fc
      .tuple(fc.constantFrom("a", "b", "c", "d", "e"), fc.constantFrom("SUCCEEDED", "FAILED", "INPROGRESS"), fc.constantFrom("BclConvert", "DRAGEN"))
      .map(([id, status, code]) => ({ ...a(id, status, code), reference: "r" }));
    fc.assert(
      fc.property(fc.array(analysisArb, { maxLength: 10 }), fc.subarray(["a", "b", "c", "d", "e"]), (analyses, managed) => {
        const result = findNewAnalyses({ analyses, managedIds: new Set(managed), inFlight: [] });
        const ids = result.toManage.map((x) => x.analysis.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(managed).not.toContain(id);
      }),
      { numRuns: 300 },
    );
  });
});

describe("orchestrator/plan/link-progress", () => {
  const selected = [fq("1"), fq("2"), fq("3")];

  it("links only what earlier batches did not", () => {
    expect(idsToLink(selected, new Set(["2"]))).toEqual(["1", "3"]);
    expect(idsToLink([...selected, fq("1")], new Set())).toEqual(["1", "2", "3"]);
  });

  it("knows terminal batch states", () => {
    expect(["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "STOPPED"].every(isTerminalBatchStatus)).toBe(true);
    expect(["INITIALIZED", "RUNNING", "WAITING_FOR_RESOURCES"].some(isTerminalBatchStatus)).toBe(false);
  });

  it("counts LINKED and ALREADY_LINKED as success, and names failed and unreported items", () => {
    const outcome = assessLinking(selected, new Set(["2"]), [
      { dataId: "1", status: "ALREADY_LINKED" },
      { dataId: "9", status: "LINKED" },
    ]);
    expect(outcome).toEqual({ linkedIds: ["1", "2"], failed: [], missing: ["3"], complete: false });
    const failed = assessLinking(selected, new Set(), [
      { dataId: "1", status: "LINKED" },
      { dataId: "2", status: "FAILED" },
      { dataId: "3", status: "linked" },
    ]);
    expect(failed).toEqual({ linkedIds: ["1", "3"], failed: [{ dataId: "2", status: "FAILED" }], missing: [], complete: false });
    expect(assessLinking(selected, new Set(["1", "2", "3"]), []).complete).toBe(true);
  });

  it("records only when linked, listed with the same sizes, and the manifest is complete", () => {
    const destination = selected.map((f) => ({ id: f.id, sizeBytes: f.sizeBytes }));
    const ids = selected.map((f) => f.id);
    expect(recordReadiness({ selected, linkedIds: ids, destination, manifest: "available" })).toEqual({ ready: true, problems: [] });
    const notYet = recordReadiness({
      selected,
      linkedIds: ["1", "2"],
      destination: [{ id: "1", sizeBytes: 10 }, { id: "2", sizeBytes: 11 }],
      manifest: "partial",
    });
    expect(notYet.problems).toEqual([
      "1 file(s) not linked: 3",
      "destination does not list 1 file(s): 3",
      "size of 2 differs: 10 bytes in the source, 11 in the destination",
      "manifest upload is not complete (partial)",
    ]);
    expect(recordReadiness({ selected: [], linkedIds: [], destination: [], manifest: "absent" }).ready).toBe(true);
  });
});

/** A planner input with its manifest rendered as the manageNew step renders it. */
function withManifest(input: Omit<ManageAnalysisPlanInput, "manifestCsv">, destinationProjectId: string): ManageAnalysisPlanInput {
  return { ...input, manifestCsv: manifestFor(input.selection, { destinationProjectId, availableUntil: new Date("2025-08-01T00:00:00Z") }) };
}

describe("orchestrator/plan/manage-plan", () => {
  it("plans the missing links, the manifest upload and the table row; pending and failed are explained", () => {
    const step = planManageNew({
      analyses: [
        withManifest({
          analysis: { id: "an-1", reference: "RUN_a912e3_9d578d-BclConvert-x" },
          selection: selectFastqs([fq("1", 1_200_000_000), fq("2", 5)]),
          linkedBefore: new Set(["2"]),
          manifest: "partial",
        }, "dest"),
        withManifest({
          analysis: { id: "an-2", reference: "ref-2" },
          selection: selectFastqs([{ id: "x", name: "Phix.fastq.gz", path: "/p/Phix.fastq.gz", sizeBytes: 1 }]),
          linkedBefore: new Set(),
          manifest: "absent",
        }, "dest"),
      ],
      pending: [a("3", "IN_PROGRESS")],
      failed: [a("4", "FAILED")],
    });
    expect(step.items.map((i) => `${i.action} ${i.target.id}`)).toEqual([
      "link an-1",
      "upload-manifest RUN_a912e3_9d578d-BclConvert-x.download_manifest.csv",
      "record an-1",
      "skip an-2",
      "wait 3",
      "skip 4",
    ]);
    expect(step.items[0]).toMatchObject({
      sizeBytes: 1_200_000_000,
      analysisId: "an-1",
      target: { kind: "analysis", name: "RUN_a912e3_9d578d-BclConvert-x" },
      reason: "1 of 2 MGI FASTQ(s) not linked into the destination yet",
    });
    expect(step.items[1]).toMatchObject({
      target: { path: "/fastq_manifests/RUN_a912e3_9d578d-BclConvert-x.download_manifest.csv" },
      reason: "replace the incomplete upload (PARTIAL); 2 row(s)",
      sizeBytes: Buffer.byteLength(
        "file_name,file_path,data_id,project_id,size_bytes,checksum,checksum_type,available_until,sample,lane,read\n" +
          "M1.fastq.gz,/out/M1.fastq.gz,1,dest,1200000000,,,2025-08-01,,,\n" +
          "M2.fastq.gz,/out/M2.fastq.gz,2,dest,5,,,2025-08-01,,,\n",
      ),
    });
    expect(step.warnings).toEqual([
      "no MGI FASTQ in ref-2 (saw 1 FASTQ(s), none matching fastq_pattern: Phix.fastq.gz); not recorded and held from archive and delete: widen fastq_pattern or fastq_suffixes, or run mark-managed an-2",
    ]);
  });

  it("gives a link item no size when a file's size is unknown, rather than an undercount", () => {
    const step = planManageNew({
      analyses: [
        withManifest({
          analysis: { id: "an-1", reference: "r" },
          selection: selectFastqs([fq("1", 10), { ...fq("2"), sizeBytes: null }]),
          linkedBefore: new Set(),
          manifest: "absent",
        }, "d"),
      ],
      pending: [],
      failed: [],
    });
    expect(step.items[0]).toMatchObject({ action: "link", reason: "2 of 2 MGI FASTQ(s) not linked into the destination yet" });
    expect(step.items[0]).not.toHaveProperty("sizeBytes");
  });

  it("plans no upload once the manifest is available", () => {
    const step = planManageNew({
      analyses: [
        withManifest({ analysis: { id: "an-1", reference: "r" }, selection: selectFastqs([fq("1")]), linkedBefore: new Set(["1"]), manifest: "available" }, "d"),
      ],
      pending: [],
      failed: [],
    });
    expect(step.items.map((i) => i.action)).toEqual(["record"]);
  });
});

describe("orchestrator/plan/delivery-policy: one delivery per run", () => {
  const run = (id: string, folder: string, timeCreated: string) => ({ id, reference: `${folder}_a1b2c3_d4e5f6-BclConvert-${id}`, timeCreated });
  const ids = (choice: ReturnType<typeof chooseDeliveries<{ id: string; reference: string }>>) => ({
    chosen: choice.chosen.map((a) => a.id),
    superseded: choice.superseded.map(({ analysis, by }) => [analysis.id, by.id]),
  });
  const none = new Set<string>();
  const runs = [run("late", "R1", "2025-02-01"), run("early", "R1", "2025-01-01"), run("other", "R2", "2025-01-15"), { id: "odd", reference: "hand-named" }];

  it("delivers the first SUCCEEDED of each run and supersedes the later ones; an unnamed run is its own", () => {
    expect(ids(chooseDeliveries({ succeeded: runs, delivered: none, inFlight: none }))).toEqual({
      chosen: ["early", "other", "odd"],
      superseded: [["late", "early"]],
    });
  });

  it("keeps what is delivered or being delivered, and what an operator prefers (redeliver)", () => {
    expect(ids(chooseDeliveries({ succeeded: runs, delivered: new Set(["late"]), inFlight: none })).superseded).toEqual([["early", "late"]]);
    expect(ids(chooseDeliveries({ succeeded: runs, delivered: none, inFlight: new Set(["late"]) })).superseded).toEqual([["early", "late"]]);
    const preferred = chooseDeliveries({ succeeded: runs, delivered: new Set(["early"]), inFlight: none, prefer: new Set(["late"]) });
    expect(ids(preferred).superseded).toEqual([["early", "late"]]);
  });

  it("findNewAnalyses manages only the chosen one and reports the other as superseded", () => {
    const bcl = (r: { id: string; reference: string; timeCreated: string }) => ({ ...r, status: "SUCCEEDED", pipeline: { id: "p", code: "BclConvert_v4" } });
    const found = findNewAnalyses({ analyses: [bcl(run("late", "R1", "2025-02-01")), bcl(run("early", "R1", "2025-01-01"))], managedIds: new Set(["early"]), inFlight: [] });
    expect(found.toManage).toEqual([]);
    expect(found.superseded.map(({ analysis, by, byDelivered }) => [analysis.id, by.id, byDelivered])).toEqual([["late", "early", true]]);
    expect(supersededItems(found.superseded)[0]).toMatchObject({ action: "skip", analysisId: "late", reason: expect.stringMatching(/^superseded, not delivered: its run is delivered as R1_/) });
  });
});
