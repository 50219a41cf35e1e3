import { afterEach, describe, expect, it } from "vitest";
import { IcaClient, V4 } from "../../src/ica/client.js";
import { buildRelaunchRequest } from "../../src/modules/launch/index.js";
import { startLocalServer, type LocalServer } from "../http/local-server.js";

/**
 * The simulator does not serve analysis inputs or configurations (its fixtures hold none), so these
 * answers come from a local server, shaped as the spec's AnalysisV4, AnalysisInputList and
 * ExecutionConfigurationList.
 */
const analysis = (language: string) => ({
  id: "an-1",
  timeCreated: "2024-05-29T10:00:00Z",
  timeModified: "2024-05-29T11:00:00Z",
  owner: { id: "u" },
  tenant: { id: "t" },
  reference: "run_abc-BclConvert_v4-an-1",
  userReference: "run:abc (first)",
  status: "FAILED",
  pipeline: { id: "pl-9", code: "BclConvert_v4", language },
  analysisStorage: { id: "st-small", name: "Small" },
  tags: { technicalTags: ["t1"], userTags: ["u1"], referenceTags: [] },
});
const inputs = {
  items: [
    {
      code: "run_folder",
      analysisData: [{ dataId: "fol.1", name: "run", dataType: "FOLDER", format: { id: "f", code: "UNKNOWN" }, mountPath: "run/" }],
    },
    {
      code: "sample_sheet",
      analysisData: [{ dataId: "fil.2", name: "SampleSheet.csv", dataType: "FILE", format: { id: "f", code: "CSV" } }],
      externalData: [{ url: "s3://bucket/extra.csv", type: "s3", mountPath: "extra.csv" }],
    },
  ],
};
const configurations = {
  items: [
    { name: "strict-mode", multiValue: false, values: ["true"] },
    { name: "lanes", multiValue: true, values: ["1", "2"] },
  ],
};

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(language: string): Promise<IcaClient> {
  server = await startLocalServer((req) => {
    const path = req.url ?? "";
    const body = path.endsWith("/inputs") ? inputs : path.endsWith("/configurations") ? configurations : analysis(language);
    return { status: 200, body: JSON.stringify(body) };
  });
  return new IcaClient({ serverUrl: server.url, apiKey: "k-0123456789" });
}

describe("buildRelaunchRequest", () => {
  it("carries pipeline, inputs, parameters, storage and tags into a Nextflow create request", async () => {
    const ica = await serve("NEXTFLOW");
    const request = await buildRelaunchRequest(ica, "proj-1", "an-1");
    expect(request.route).toBe("/api/projects/{projectId}/analysis:nextflow");
    expect(request.mediaType).toBe(V4);
    expect(request.body).toEqual({
      userReference: "run_abc _first_-requeue",
      pipelineId: "pl-9",
      analysisStorageId: "st-small",
      tags: { technicalTags: ["t1"], userTags: ["u1"], referenceTags: [] },
      analysisInput: {
        inputs: [
          { parameterCode: "run_folder", dataIds: ["fol.1"], mounts: [{ dataId: "fol.1", mountPath: "run/" }] },
          { parameterCode: "sample_sheet", dataIds: ["fil.2"], externalData: [{ url: "s3://bucket/extra.csv", type: "s3", mountPath: "extra.csv" }] },
        ],
        parameters: [
          { code: "strict-mode", value: "true" },
          { code: "lanes", multiValue: ["1", "2"] },
        ],
      },
    });
    expect(request.notCarriedOver.join("; ")).toMatch(/referenceDataParameters.*s3Details\/basespaceDetails/);
    expect(server?.requests.map((r) => [r.url, r.headers.accept])).toEqual(
      expect.arrayContaining([
        ["/ica/rest/api/projects/proj-1/analyses/an-1", V4],
        ["/ica/rest/api/projects/proj-1/analyses/an-1/inputs", "application/vnd.illumina.v3+json"],
        ["/ica/rest/api/projects/proj-1/analyses/an-1/configurations", "application/vnd.illumina.v3+json"],
      ]),
    );
  });

  it("uses the structured-input CWL endpoint for CWL pipelines and refuses others", async () => {
    const cwl = await buildRelaunchRequest(await serve("CWL"), "proj-1", "an-1", { userReference: "requeue 2" });
    expect(cwl.route).toBe("/api/projects/{projectId}/analysis:cwlWithStructuredInput");
    expect(cwl.body.userReference).toBe("requeue 2");
    await server?.close();
    await expect(buildRelaunchRequest(await serve("UNKNOWN"), "proj-1", "an-1")).rejects.toThrow(
      /Cannot relaunch analysis an-1: its pipeline BclConvert_v4 has language UNKNOWN/,
    );
  });
});
