import { afterEach, describe, expect, it } from "vitest";
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";
import type { Simulator } from "../../src/simulator/server.js";
import { DONE, DONE_FOLDER, SOURCE, icaApi, icaTestFixture, startIcaSim, v4 } from "./ica-harness.js";

const FAILED = "aaaaaaaa-0000-4000-8000-0000000000f1";
const FAILED_REF = `240610_VH00154_600_4444NMTNX_a1b2c3_d4e5f6-BclConvert_v4_2_7-${FAILED}`;
const FAILED_AGAIN = "aaaaaaaa-0000-4000-8000-0000000000f2";
const NEXTFLOW = "aaaaaaaa-0000-4000-8000-0000000000f3";
const marker = '{"Projects":{"p1":{"Id":"p1","Name":"Run1"}}}';
const timings = { icaAnalysisQueueMs: 60_000, icaAnalysisRunMs: 3_600_000 };

type AnalysisInput = FixtureInput["ica"]["analyses"][number];
const failed = (id: string, reference: string, extra: Partial<AnalysisInput>): AnalysisInput => ({
  id,
  projectId: SOURCE,
  reference,
  userReference: reference.slice(0, reference.indexOf("-")),
  pipelineCode: "BclConvert_v4_2_7",
  status: "FAILED",
  createdDaysAgo: 1,
  startDaysAgo: 1,
  endDaysAgo: 0.9,
  files: [{ path: "output/Logs/Errors.log", sizeBytes: 50 }, { path: "bsshoutput.json", content: marker }],
  ...extra,
});

/** The ICA test world plus a failed BCLConvert whose rerun succeeds, one whose rerun fails, and a Nextflow analysis. */
function fixture(): FixtureInput {
  const base = icaTestFixture();
  const requeueFiles = [
    { path: "output/Samples/Lane_1/M-600-001/M-600-001_S1_L001_R1_001.fastq.gz", sizeBytes: 1_234 },
    { path: "output/Samples/Lane_1/Undetermined/Undetermined_S0_L001_R1_001.fastq.gz", sizeBytes: 99 },
    { path: "bsshoutput.json", content: marker },
  ];
  base.ica.analyses.push(
    failed(FAILED, FAILED_REF, { requeueFiles }),
    failed(FAILED_AGAIN, `240611_VH00154_601_5555NMTNX_a1b2c3_d4e5f6-BclConvert_v4_2_7-${FAILED_AGAIN}`, { requeueOutcome: "FAILED" }),
    {
      ...failed(NEXTFLOW, `240612_custom_a1b2c3_d4e5f6-Custom_nf-${NEXTFLOW}`, {}),
      pipelineCode: "Custom_nf",
      pipelineLanguage: "NEXTFLOW",
      status: "SUCCEEDED",
      files: [{ path: "out/report.html", sizeBytes: 10 }],
    },
  );
  return base;
}

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(): Promise<ReturnType<typeof icaApi>> {
  sim = await startIcaSim(timings, fixture());
  return icaApi(sim);
}

/** A create body that reruns `analysisId` the way the launch module builds it: its pipeline, inputs and configurations. */
async function rerunBody(api: ReturnType<typeof icaApi>, analysisId: string, userReference: string): Promise<Record<string, unknown>> {
  const analysis = (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}`, { headers: { Accept: v4.Accept } })).body;
  const inputs = (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}/inputs`)).body.items;
  const configurations = (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}/configurations`)).body.items;
  return {
    userReference,
    pipelineId: analysis.pipeline.id,
    analysisStorageId: analysis.analysisStorage.id,
    tags: { technicalTags: ["requeue"], userTags: [], referenceTags: [] },
    analysisInput: {
      inputs: inputs.map((i: { code: string; analysisData: { dataId: string }[] }) => ({ parameterCode: i.code, dataIds: i.analysisData.map((d) => d.dataId) })),
      parameters: configurations.map((c: { name: string; multiValue: boolean; values: string[] }) =>
        c.multiValue ? { code: c.name, multiValue: c.values } : { code: c.name, value: c.values[0] },
      ),
    },
  };
}

const create = (api: ReturnType<typeof icaApi>, body: unknown, key?: string) =>
  api("POST", `/projects/${SOURCE}/analysis:cwlWithStructuredInput`, { body, headers: { ...v4, ...(key ? { "Idempotency-Key": key } : {}) } });

const getV4 = async (api: ReturnType<typeof icaApi>, id: string) =>
  (await api("GET", `/projects/${SOURCE}/analyses/${id}`, { headers: { Accept: v4.Accept } })).body;

async function filesUnder(api: ReturnType<typeof icaApi>, folder: string): Promise<Map<string, { status: string; size: number }>> {
  const page = await api("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(folder)}&type=FILE&pageSize=1000`);
  return new Map(
    page.body.items.map((r: { data: { details: { path: string; status: string; fileSizeInBytes: number } } }) => [
      r.data.details.path.slice(folder.length),
      { status: r.data.details.status, size: r.data.details.fileSizeInBytes },
    ]),
  );
}

describe("ICA simulator: analysis inputs and configurations", () => {
  it("reports one folder input per fixture analysis and the cosmetic configurations", async () => {
    const api = await start();
    const inputs = await api("GET", `/projects/${SOURCE}/analyses/${DONE}/inputs`);
    expect(inputs.status).toBe(200);
    expect(inputs.contentType).toBe("application/vnd.illumina.v3+json");
    expect(inputs.body.items).toEqual([
      {
        code: "input",
        analysisData: [expect.objectContaining({ dataId: expect.stringMatching(/^fol\.[0-9a-f]{32}$/), dataType: "FOLDER", format: expect.objectContaining({ code: "UNKNOWN" }) })],
        externalData: [],
      },
    ]);
    const configurations = await api("GET", `/projects/${SOURCE}/analyses/${DONE}/configurations`);
    expect(configurations.body.items).toEqual([
      { name: "strict-mode", multiValue: false, values: ["true"] },
      { name: "output-formats", multiValue: true, values: ["fastq.gz", "md5"] },
    ]);
    expect((await api("GET", `/projects/${SOURCE}/analyses/00000000-0000-4000-8000-000000000000/inputs`)).status).toBe(404);
  });
});

describe("ICA simulator: creating analyses", () => {
  it("runs a rerun of a failed BCLConvert REQUESTED → QUEUED → IN_PROGRESS → SUCCEEDED and writes the fixture's outputs beside the original's", async () => {
    const api = await start();
    const body = await rerunBody(api, FAILED, "240610_VH00154_600_4444NMTNX_a1b2c3_d4e5f6-requeue-1");
    const created = await create(api, body);
    expect(created.status).toBe(201);
    expect(created.contentType).toBe("application/vnd.illumina.v4+json");
    expect(created.body).toMatchObject({ status: "REQUESTED", userReference: body.userReference, pipeline: { code: "BclConvert_v4_2_7", language: "CWL" }, startDate: null });
    const id = created.body.id as string;
    expect(created.body.reference).toBe(`${String(body.userReference)}-BclConvert_v4_2_7-${id}`);
    expect((await getV4(api, id)).status).toBe("QUEUED");

    sim?.advanceClock(timings.icaAnalysisQueueMs);
    const running = await getV4(api, id);
    expect(running).toMatchObject({ status: "IN_PROGRESS", endDate: null });
    expect(Date.parse(running.startDate) - Date.parse(running.timeCreated)).toBe(timings.icaAnalysisQueueMs);
    const folder = `/ilmn-analyses/${String(created.body.reference)}/`;
    expect((await filesUnder(api, folder)).size).toBe(0);
    const v3 = await api("GET", `/projects/${SOURCE}/analyses?userreference=${encodeURIComponent(String(body.userReference))}`);
    expect(v3.body.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[id, "INPROGRESS"]]);

    sim?.advanceClock(timings.icaAnalysisRunMs);
    const done = await getV4(api, id);
    expect(done.status).toBe("SUCCEEDED");
    expect(Date.parse(done.endDate) - Date.parse(done.startDate)).toBe(timings.icaAnalysisRunMs);
    expect(await filesUnder(api, folder)).toEqual(
      new Map([
        ["bsshoutput.json", { status: "AVAILABLE", size: marker.length }],
        ["output/Samples/Lane_1/M-600-001/M-600-001_S1_L001_R1_001.fastq.gz", { status: "AVAILABLE", size: 1_234 }],
        ["output/Samples/Lane_1/Undetermined/Undetermined_S0_L001_R1_001.fastq.gz", { status: "AVAILABLE", size: 99 }],
      ]),
    );
    const outputs = (await api("GET", `/projects/${SOURCE}/analyses/${id}/outputs`)).body.items[0].data[0];
    expect(outputs.name).toBe(created.body.reference);
    expect(sim?.objects.get(`${SOURCE}${folder}bsshoutput.json`)?.toString()).toBe(marker);

    // The rerun reports what it was given, so it can be rerun again with the same request.
    const again = await rerunBody(api, id, String(body.userReference));
    expect(again.analysisInput).toEqual(body.analysisInput);
  });

  it("ends a rerun FAILED when the fixture says so, with the failure log and the original's marker only", async () => {
    const api = await start();
    const created = await create(api, await rerunBody(api, FAILED_AGAIN, "rerun-of-a-bad-run"));
    sim?.advanceClock(timings.icaAnalysisQueueMs + timings.icaAnalysisRunMs);
    expect((await getV4(api, created.body.id)).status).toBe("FAILED");
    const files = await filesUnder(api, `/ilmn-analyses/${String(created.body.reference)}/`);
    expect([...files.keys()].sort()).toEqual(["bsshoutput.json", "output/Logs/Errors.log"]);
  });

  it("copies the origin's current output when the fixture gives no requeueFiles, into a chosen parent folder", async () => {
    const api = await start();
    const parent = (await api("POST", `/projects/${SOURCE}/data:createFolder`, { body: { name: "reruns", folderPath: "/" } })).body.data.id;
    const body = { ...(await rerunBody(api, DONE, "copy")), outputParentFolderId: parent };
    const created = await create(api, body);
    sim?.advanceClock(timings.icaAnalysisQueueMs + timings.icaAnalysisRunMs);
    expect((await getV4(api, created.body.id)).status).toBe("SUCCEEDED");
    const copy = await filesUnder(api, `/reruns/${String(created.body.reference)}/`);
    const original = await filesUnder(api, DONE_FOLDER);
    expect(copy).toEqual(original);
    expect(copy.size).toBe(13);
  });

  it("honours Idempotency-Key: a replay returns the same analysis, another body with the key is refused", async () => {
    const api = await start();
    const body = await rerunBody(api, FAILED, "idempotent");
    const first = await create(api, body, "requeue-f1-1");
    const replay = await create(api, body, "requeue-f1-1");
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    expect((await create(api, { ...body, userReference: "other" }, "requeue-f1-1")).status).toBe(422);
    const listed = await api("POST", `/projects/${SOURCE}/analysis:search`, { body: { userReference: "idempotent" } });
    expect(listed.body.items).toHaveLength(1);
  });

  it("gives the same ids to the same requests in a fresh simulator", async () => {
    let api = await start();
    const body = await rerunBody(api, FAILED, "same-id");
    const ids = [(await create(api, body)).body.id, (await create(api, body)).body.id];
    expect(new Set(ids).size).toBe(2);
    await sim?.stop();
    api = await start();
    expect([(await create(api, body)).body.id, (await create(api, body)).body.id]).toEqual(ids);
  });

  it("starts Nextflow pipelines through analysis:nextflow, in V3 too", async () => {
    const api = await start();
    const body = await rerunBody(api, NEXTFLOW, "nf");
    const v3 = await api("POST", `/projects/${SOURCE}/analysis:nextflow`, { body });
    expect(v3.status).toBe(201);
    expect(v3.contentType).toBe("application/vnd.illumina.v3+json");
    expect(v3.body).toMatchObject({ status: "REQUESTED", pipeline: { language: "NEXTFLOW" } });
    const wrong = await create(api, body);
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toBe("pipeline Custom_nf is a NEXTFLOW pipeline: start it with POST /api/projects/{projectId}/analysis:nextflow");
  });

  it("refuses requests it cannot run, saying what to fix", async () => {
    const api = await start();
    const body = await rerunBody(api, FAILED, "refusals");
    const input = (body.analysisInput as { inputs: unknown[] }).inputs;
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ ...body, userReference: "bad:name" }, 400, /userReference: may hold letters/],
      [{ ...body, pipelineId: "00000000-0000-4000-8000-000000000000" }, 400, /pipeline 0{8}-.* does not exist/],
      [{ ...body, analysisStorageId: "00000000-0000-4000-8000-000000000000" }, 400, /analysis storage .* does not exist/],
      [{ ...body, analysisInput: { inputs: [{ parameterCode: "input", dataIds: ["fol.nope"] }] } }, 400, /input data fol\.nope was not found in project/],
      [{ ...body, analysisInput: { inputs: input, parameters: [{ code: "x", value: "1", multiValue: ["2"] }] } }, 400, /parameter "x": give a code and exactly one of value and multiValue/],
      [{ ...body, analysisInput: { inputs: [{ parameterCode: "input", dataIds: [], mounts: [{ dataId: "fil.1", mountPath: "a" }] }] } }, 400, /mount of fil\.1 in input input: that data id is not in its dataIds/],
      [{ ...body, logs: { logFolder: "x" } }, 400, /^logs is not simulated/],
      [{ ...body, outputParentFolderId: "fil.nope" }, 400, /outputParentFolderId fil\.nope is not a folder owned by project/],
    ];
    for (const [request, status, detail] of cases) {
      const answer = await create(api, request);
      expect(answer.status, JSON.stringify(request)).toBe(status);
      expect(answer.contentType).toBe("application/problem+json");
      expect(answer.body.detail).toMatch(detail);
    }
    const asV3 = await api("POST", `/projects/${SOURCE}/analysis:cwlWithStructuredInput`, { body });
    expect(asV3.status).toBe(415);
    expect(sim?.state().counts.ica).toMatchObject({ analyses: 8 });
  });

  it("refuses archived input data (409) and accepts available project data, which has no origin", async () => {
    const api = await start();
    const file = (path: string) =>
      api("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(path)}&filePathMatchMode=FULL_CASE_INSENSITIVE`).then((r) => r.body.items[0].data);
    const body = await rerunBody(api, FAILED, "own-data");
    const archived = await file("/ilmn-analyses/230101_VH00154_100_1111NMTNX_f1f2f3_a1a2a3-BclConvert_v4_1_5-aaaaaaaa-0000-4000-8000-000000000004/");
    const refused = await create(api, { ...body, analysisInput: { inputs: [{ parameterCode: "input", dataIds: [archived.id] }] } });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/is ARCHIVED; an analysis can only read AVAILABLE data \(unarchive it first\)/);
    const manifest = await file("/fastq_manifests/old.csv");
    const ok = await create(api, { ...body, analysisInput: { inputs: [{ parameterCode: "sheet", dataIds: [manifest.id], mounts: [{ dataId: manifest.id, mountPath: "in/old.csv" }] }] } });
    expect(ok.status).toBe(201);
    sim?.advanceClock(timings.icaAnalysisQueueMs + timings.icaAnalysisRunMs);
    expect((await getV4(api, ok.body.id)).status).toBe("SUCCEEDED");
    expect((await api("GET", `/projects/${SOURCE}/analyses/${ok.body.id}/inputs`)).body.items).toEqual([
      { code: "sheet", analysisData: [expect.objectContaining({ dataId: manifest.id, name: "old.csv", dataType: "FILE", mountPath: "in/old.csv" })], externalData: [] },
    ]);
    expect((await filesUnder(api, `/${String(ok.body.reference)}/`)).size).toBe(0);
  });
});

describe("ICA simulator: offset listings of analyses follow created analyses", () => {
  it("an offset page read before a create is not served again after it, nor after a status change", async () => {
    const api = await start();
    const search = async () => {
      const page = await api("POST", `/projects/${SOURCE}/analysis:search?pageOffset=0&pageSize=1000&sort=reference`, { body: {} });
      return new Map(page.body.items.map((a: { id: string; status: string }) => [a.id, a.status]));
    };
    const before = await search();
    const created = await create(api, await rerunBody(api, FAILED, "240610_VH00154_600_4444NMTNX_a1b2c3_d4e5f6-requeue-1"));
    const id = created.body.id as string;
    expect(before.has(id)).toBe(false);
    expect((await search()).get(id)).toBe("QUEUED");
    sim?.advanceClock(timings.icaAnalysisQueueMs);
    expect((await search()).get(id)).toBe("IN_PROGRESS");
  });
});
