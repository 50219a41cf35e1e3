import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { V4, type IcaClient } from "../../src/ica/client.js";
import { buildRelaunchRequest, relaunchAnalysis, requeueUserReference } from "../../src/modules/launch/index.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { collect, icaClientFor, startTestSimulator } from "../http/sim-harness.js";

/**
 * The demo fixture, with its DRAGEN pipeline written in Nextflow and its aborted BCLConvert (row 7) on
 * a pipeline of unknown language, so all three kinds of pipeline can be tried.
 */
function fixture(): Fixture {
  const demo = namedFixture("demo");
  const analyses = demo.ica.analyses.map((a) => {
    if (a.pipelineCode.startsWith("DRAGEN")) return { ...a, pipelineLanguage: "NEXTFLOW" as const };
    if (a.id.startsWith("a0000007")) return { ...a, pipelineCode: "BclConvert_legacy", pipelineLanguage: "UNKNOWN" as const };
    return a;
  });
  return { ...demo, ica: { ...demo.ica, analyses } };
}

const timings = { icaAnalysisQueueMs: 1_000, icaAnalysisRunMs: 60_000 };

let sim: Simulator;
let ica: IcaClient;
let projectId: string;
const idOf = (row: string): string => {
  const found = sim.fixture.ica.analyses.find((a) => a.id.startsWith(row));
  if (!found) throw new Error(`demo row ${row} is missing`);
  return found.id;
};

beforeAll(async () => {
  sim = await startTestSimulator({ fixture: fixture(), timings });
  ica = icaClientFor(sim);
  projectId = sim.fixture.ica.analyses[0]?.projectId ?? "";
});
afterAll(() => sim.stop());

describe("buildRelaunchRequest", () => {
  it("carries pipeline, inputs, parameters, storage and tags of a failed CWL BCLConvert into a structured-input request", async () => {
    const failed = idOf("a0000006");
    const original = await ica.getAnalysis(projectId, failed);
    const [input] = (await ica.getAnalysisInputs(projectId, failed)).items;
    const request = await buildRelaunchRequest(ica, projectId, failed);
    expect(request.route).toBe("/api/projects/{projectId}/analysis:cwlWithStructuredInput");
    expect(request.mediaType).toBe(V4);
    expect(request.body).toEqual({
      userReference: `${original.userReference}-requeue`,
      pipelineId: original.pipeline.id,
      analysisStorageId: original.analysisStorage?.id,
      tags: { technicalTags: [], userTags: [], referenceTags: [] },
      analysisInput: {
        inputs: [{ parameterCode: "input", dataIds: [input?.analysisData[0]?.dataId] }],
        parameters: [
          { code: "strict-mode", value: "true" },
          { code: "output-formats", multiValue: ["fastq.gz", "md5"] },
        ],
      },
    });
    expect(request.notCarriedOver.join("; ")).toMatch(/referenceDataParameters.*activationCodeDetailId/);
    expect(request.notCarriedOver.join("; ")).not.toMatch(/s3Details/);
  });

  it("uses analysis:nextflow for Nextflow pipelines and refuses pipelines of unknown language", async () => {
    const nextflow = await buildRelaunchRequest(ica, projectId, idOf("a0000008"), { userReference: "dragen: again" });
    expect(nextflow.route).toBe("/api/projects/{projectId}/analysis:nextflow");
    expect(nextflow.body.userReference).toBe("dragen_ again");
    await expect(buildRelaunchRequest(ica, projectId, idOf("a0000007"))).rejects.toThrow(
      /Cannot relaunch analysis a0000007-.*: its pipeline BclConvert_legacy has language UNKNOWN/,
    );
  });

  it("carries mounts and external inputs of an analysis that had them, and says what it cannot carry", async () => {
    const [sheet] = await collect(ica.listData(projectId, { filePath: ["/scratch/SampleSheet_draft.csv"], filePathMatchMode: "FULL_CASE_INSENSITIVE" }));
    expect(sheet?.name).toBe("SampleSheet_draft.csv");
    const base = await buildRelaunchRequest(ica, projectId, idOf("a0000006"));
    const custom = {
      ...base,
      body: {
        ...base.body,
        userReference: "with-mounts",
        analysisInput: {
          ...base.body.analysisInput,
          inputs: [
            ...base.body.analysisInput.inputs,
            {
              parameterCode: "sample_sheet",
              dataIds: [sheet?.id ?? ""],
              mounts: [{ dataId: sheet?.id ?? "", mountPath: "sheet/SampleSheet.csv" }],
              externalData: [{ url: "s3://bucket/extra.csv", type: "s3", mountPath: "extra.csv" }],
            },
          ],
        },
      },
    };
    const created = await ica.createAnalysis(custom, "mounts-1");
    const again = await buildRelaunchRequest(ica, projectId, created.id);
    expect(again.body.analysisInput.inputs[1]).toEqual({
      parameterCode: "sample_sheet",
      dataIds: [sheet?.id],
      mounts: [{ dataId: sheet?.id, mountPath: "sheet/SampleSheet.csv" }],
      externalData: [{ url: "s3://bucket/extra.csv", type: "s3", mountPath: "extra.csv" }],
    });
    expect(again.notCarriedOver.join("; ")).toMatch(/s3Details\/basespaceDetails/);
  });
});

describe("relaunchAnalysis", () => {
  it("starts the requeue once per userReference, and the new analysis runs to SUCCEEDED with the run's FASTQs", async () => {
    const failed = idOf("a0000006");
    const original = await ica.getAnalysis(projectId, failed);
    const userReference = requeueUserReference(original.userReference, 1);
    const first = await relaunchAnalysis(ica, projectId, failed, { userReference, idempotencyKey: `requeue-${failed}-1` });
    expect(first.created).toBe(true);
    expect(first.analysis).toMatchObject({ userReference, status: "REQUESTED", pipeline: { code: original.pipeline.code } });
    const second = await relaunchAnalysis(ica, projectId, failed, { userReference, idempotencyKey: `requeue-${failed}-1` });
    expect(second).toMatchObject({ created: false, analysis: { id: first.analysis.id }, notCarriedOver: [] });

    sim.advanceClock(timings.icaAnalysisQueueMs + timings.icaAnalysisRunMs);
    expect((await ica.getAnalysis(projectId, first.analysis.id)).status).toBe("SUCCEEDED");
    const [output] = (await ica.getAnalysisOutputs(projectId, first.analysis.id)).items;
    const folder = output?.data[0];
    expect(folder?.name).toBe(first.analysis.reference);
    const files = await collect(ica.listData(projectId, { filePath: [`/ilmn-analyses/${first.analysis.reference}/`], type: "FILE" }));
    const names = files.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["M-106-001_S1_L001_R1_001.fastq.gz", "M-106-001_S1_L002_R2_001.fastq.gz", "Undetermined_S0_L002_R2_001.fastq.gz"]));
  });

  it("refuses a userReference ICA would reject instead of silently renaming the attempt", async () => {
    await expect(relaunchAnalysis(ica, projectId, idOf("a0000006"), { userReference: "bad:ref", idempotencyKey: "k" })).rejects.toThrow(
      'userReference "bad:ref" is not valid in ICA; build it with requeueUserReference()',
    );
  });
});

describe("requeueUserReference", () => {
  it("appends the attempt, cutting long references before the suffix and keeping ICA's pattern", () => {
    expect(requeueUserReference("run:abc (first)", 2)).toBe("run_abc _first_-requeue-2");
    const long = requeueUserReference("x".repeat(300), 12);
    expect(long).toHaveLength(255);
    expect(long.endsWith("-requeue-12")).toBe(true);
    expect(requeueUserReference(`a/${"b".repeat(250)}`, 1)).toMatch(/^a\/b+-requeue-1$/);
    expect(requeueUserReference(`${"c".repeat(244)}/d`, 1)).toBe(`${"c".repeat(244)}-requeue-1`);
  });
});
