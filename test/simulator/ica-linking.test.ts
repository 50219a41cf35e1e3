import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { DEST, DONE, DONE_FOLDER, FOREIGN, LOCKED, OTHER_KEY, SOURCE, icaApi, slowTimings, startIcaSim, v4 } from "./ica-harness.js";

let sim: Simulator;
let api: ReturnType<typeof icaApi>;
let fastqIds: string[];

interface Row {
  data: { id: string; details: { path: string; owningProjectId: string; status: string } };
}

const linkMs = slowTimings.icaLinkBatchMs as number;

async function listIds(projectId: string, query: string, key?: string): Promise<string[]> {
  const page = await api("GET", `/projects/${projectId}/data?${query}&pageSize=1000`, key ? { key } : {});
  return page.body.items.map((r: Row) => r.data.id);
}

const link = (dataIds: string[], headers: Record<string, string> = v4) =>
  api("POST", `/projects/${DEST}/dataLinkingBatch`, { body: { items: dataIds.map((dataId) => ({ dataId })) }, headers });

const batch = (id: string) => api("GET", `/projects/${DEST}/dataLinkingBatch/${id}`);

async function items(id: string, headers: Record<string, string> = v4, query = ""): Promise<Array<{ request: { dataId: string }; processing: { status: string; additionalStatusInformation?: string } }>> {
  return (await api("GET", `/projects/${DEST}/dataLinkingBatch/${id}/items?pageSize=1000${query}`, { headers })).body.items;
}

/** Links and lets the job finish. */
async function linkAndFinish(dataIds: string[], headers: Record<string, string> = v4): Promise<string> {
  const created = await link(dataIds, headers);
  expect(created.status).toBe(201);
  sim.advanceClock(linkMs);
  return created.body.id;
}

beforeAll(async () => {
  sim = await startIcaSim();
  api = icaApi(sim);
  fastqIds = await listIds(SOURCE, `filePath=${encodeURIComponent(`${DONE_FOLDER}output/Samples/Lane_1/`)}&type=FILE`);
});
afterAll(() => sim.stop());

describe("ICA simulator: data linking batches", () => {
  it("runs a batch INITIALIZED → RUNNING → SUCCEEDED; linked data keeps id and path, owned by the source", async () => {
    const [first, second] = fastqIds as [string, string];
    const created = await link([first, second]);
    expect(created.status).toBe(201);
    expect(created.contentType).toBe("application/vnd.illumina.v4+json");
    expect(created.body.job).toMatchObject({ status: "INITIALIZED", subjectId: created.body.id, owner: { id: expect.any(String) } });
    const running = await batch(created.body.id);
    expect(running.contentType).toBe("application/vnd.illumina.v3+json");
    expect(running.body.job.status).toBe("RUNNING");
    expect((await items(created.body.id)).map((i) => i.processing.status)).toEqual(["RUNNING", "RUNNING"]);
    expect(await listIds(DEST, `filePath=${encodeURIComponent(DONE_FOLDER)}`)).toEqual([]);

    sim.advanceClock(linkMs);
    const done = await batch(created.body.id);
    expect(done.body.job).toMatchObject({ status: "SUCCEEDED", timeStarted: expect.any(String), timeFinished: expect.any(String) });
    const linked = await items(created.body.id);
    expect(linked.map((i) => i.processing.status)).toEqual(["LINKED", "LINKED"]);
    expect(linked[0]).toMatchObject({ request: { dataId: first }, createdProjectData: { projectId: DEST, data: { id: first } } });
    const inDest = await api("GET", `/projects/${DEST}/data/${first}`);
    const inSource = await api("GET", `/projects/${SOURCE}/data/${first}`);
    expect(inDest.body.projectId).toBe(DEST);
    expect(inDest.body.data.details).toMatchObject({ owningProjectId: SOURCE, path: inSource.body.data.details.path });
    expect(await listIds(DEST, `owningProjectId=${SOURCE}`)).toEqual([first, second]);
  });

  it("reports ALREADY_LINKED on a re-run, and per-item injected failures as PARTIALLY_SUCCEEDED", async () => {
    const [first, , third, fourth] = fastqIds as [string, string, string, string];
    const again = await linkAndFinish([first]);
    expect((await batch(again)).body.job.status).toBe("SUCCEEDED");
    expect((await items(again))[0]?.processing.status).toBe("ALREADY_LINKED");

    sim.setFaults({ linkItemFailures: { dataIds: [third], rate: 0 } });
    const mixed = await linkAndFinish([third, fourth]);
    sim.setFaults({ linkItemFailures: { dataIds: [], rate: 0 } });
    expect((await batch(mixed)).body.job).toMatchObject({ status: "PARTIALLY_SUCCEEDED", additionalStatusInformation: expect.any(String) });
    const failed = await items(mixed, v4, "&status=FAILED");
    expect(failed.map((i) => i.request.dataId)).toEqual([third]);
    expect(failed[0]?.processing.additionalStatusInformation).toContain("injected");
    expect(await listIds(DEST, `id=${third}`)).toEqual([]);
    // Retrying the failed item succeeds once the fault is gone.
    const retry = await linkAndFinish([third]);
    expect((await items(retry))[0]?.processing.status).toBe("LINKED");
  });

  it("fails items whose project refuses sharing, unknown ids and another tenant's data", async () => {
    const locked = await listIds(LOCKED, "type=FILE");
    const foreign = await listIds(FOREIGN, "type=FILE", OTHER_KEY);
    const id = await linkAndFinish([...locked, "fil.ffffffffffffffffffffffffffffffff", ...foreign]);
    expect((await batch(id)).body.job.status).toBe("FAILED");
    const reasons = (await items(id)).map((i) => i.processing.additionalStatusInformation);
    expect(reasons[0]).toContain("dataSharingEnabled");
    expect(reasons[1]).toContain("does not exist");
    expect(reasons[2]).toContain("does not exist");
  });

  it("V4 links a folder as one item; a failing file inside makes it PARTIALLY_LINKED (FAILED in V3)", async () => {
    const outputs = await api("GET", `/projects/${SOURCE}/analyses/${DONE}/outputs`);
    const folder: string = outputs.body.items[0].data[0].dataId;
    const lane2 = await listIds(SOURCE, `filePath=${encodeURIComponent(`${DONE_FOLDER}output/Samples/Lane_2/`)}&type=FILE`);
    sim.setFaults({ linkItemFailures: { dataIds: [lane2[0] as string], rate: 0 } });
    const id = await linkAndFinish([folder]);
    sim.setFaults({ linkItemFailures: { dataIds: [], rate: 0 } });
    const [v4Item] = await items(id);
    expect(v4Item?.processing.status).toBe("PARTIALLY_LINKED");
    const [v3Item] = await items(id, { Accept: "application/vnd.illumina.v3+json" });
    expect(v3Item?.processing.status).toBe("FAILED");
    expect((await batch(id)).body.job.status).toBe("PARTIALLY_SUCCEEDED");
    // Everything else under the folder now lists in the destination, including already-linked files.
    const linked = await listIds(DEST, `filePath=${encodeURIComponent(DONE_FOLDER)}`);
    expect(linked).toHaveLength(24 - 1);
    expect(linked).toContain(folder);
    // parentFolderPath does not list the contents of a linked folder, only the folder itself.
    expect(await listIds(DEST, "parentFolderPath=/ilmn-analyses/")).toEqual([folder]);
    expect(await listIds(DEST, `parentFolderPath=${encodeURIComponent(`${DONE_FOLDER}output/`)}`)).toEqual([]);
    const children = await api("GET", `/projects/${DEST}/data/${folder}/children?pageSize=1000`, { headers: v4 });
    expect(children.body.items).toHaveLength(22);
  });

  it("V3 expands a folder into one item per file and folder", async () => {
    const [manifestFolder] = await listIds(SOURCE, "filePath=/fastq_manifests/&filePathMatchMode=FULL_CASE_INSENSITIVE");
    const created = await link([manifestFolder as string], { "Content-Type": "application/vnd.illumina.v3+json" });
    expect(created.contentType).toBe("application/vnd.illumina.v3+json");
    sim.advanceClock(linkMs);
    const v3Items = await items(created.body.id, { Accept: "application/vnd.illumina.v3+json" });
    expect(v3Items.map((i) => i.processing.status)).toEqual(["LINKED", "LINKED", "LINKED"]);
    expect(await listIds(DEST, "parentFolderPath=/fastq_manifests/")).toHaveLength(2);
  });

  it("keeps linked data read-only in the destination and follows the owner's lifecycle", async () => {
    const [first] = fastqIds as [string];
    expect((await api("POST", `/projects/${DEST}/data/${first}:archive`)).status).toBe(400);
    expect((await api("POST", `/projects/${DEST}/data/${first}:createUploadUrl`)).status).toBe(400);
    expect((await api("POST", `/projects/${DEST}/data/${first}:createTemporaryCredentials`, { body: {} })).status).toBe(400);
    const readOnly = await api("POST", `/projects/${DEST}/data/${first}:createTemporaryCredentials`, { body: { readOnlyCredentials: true } });
    expect(readOnly.body.awsTempCredentials.objectPrefix.startsWith(`${SOURCE}/`)).toBe(true);
    const linksBefore = (sim.state().counts.ica as Record<string, number>).linkedItems as number;

    expect((await api("POST", `/projects/${SOURCE}/data/${first}:archive`)).status).toBe(204);
    expect((await api("GET", `/projects/${DEST}/data/${first}`)).body.data.details.status).toBe("ARCHIVING");
    sim.advanceClock(slowTimings.icaArchiveMs as number);
    expect((await api("POST", `/projects/${SOURCE}/data/${first}:unarchive`)).status).toBe(204);
    sim.advanceClock(slowTimings.icaUnarchiveMs as number);
    expect((await api("POST", `/projects/${SOURCE}/data/${first}:delete`)).status).toBe(204);
    sim.advanceClock(slowTimings.icaDeleteMs as number);
    expect((await api("GET", `/projects/${DEST}/data/${first}`)).status).toBe(404);
    expect((sim.state().counts.ica as Record<string, number>).linkedItems).toBe(linksBefore - 1);
  });

  it("keeps batches to their project and serves the batch only as v3", async () => {
    const id = await linkAndFinish([fastqIds[1] as string]);
    expect((await api("GET", `/projects/${SOURCE}/dataLinkingBatch/${id}`)).status).toBe(404);
    expect((await api("GET", `/projects/${DEST}/dataLinkingBatch/${id}`, { headers: { Accept: "application/vnd.illumina.v4+json" } })).status).toBe(406);
    const [item] = await items(id);
    const one = await api("GET", `/projects/${DEST}/dataLinkingBatch/${id}/items/${(item as unknown as { id: string }).id}`, { headers: v4 });
    expect(one.body.processing.status).toBe("ALREADY_LINKED");
    expect((await link([])).status).toBe(400);
    expect((await api("GET", `/projects/${DEST}/dataLinkingBatch/${id}/items?status=DONE`)).status).toBe(400);
  });
});
