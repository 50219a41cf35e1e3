import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ServerError } from "../../src/http/errors.js";
import type { IcaClient } from "../../src/ica/client.js";
import type { IcaAnalysis, IcaData } from "../../src/ica/schemas.js";
import {
  createFileAtPath,
  findFileByPath,
  getDataStatus,
  lifecycleBasis,
  requestLifecycleAction,
  linkData,
  pollUntil,
  uploadViaPresignedUrl,
  type ObservedDataStatus,
  type PollOptions,
} from "../../src/modules/data-transfer/index.js";
import { resolveProject } from "../../src/modules/launch/index.js";
import { rereadBeforeActing } from "../../src/orchestrator/reread-before-acting.js";
import { projectAnalysesSnapshot } from "../../src/modules/monitor/index.js";
import { downloadSmallFile } from "../../src/modules/outputs/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { collect, icaClientFor, startTestSimulator } from "../http/sim-harness.js";
import { filesUnder, outputFolderOf } from "../modules/output-helpers.js";

let sim: Simulator;
let ica: IcaClient;
let sourceId: string;
let destinationId: string;
let analyses: IcaAnalysis[];

/** Polls on simulated time: each wait moves the simulator's clock instead of sleeping. */
const simPoll = (): PollOptions => ({
  sleep: async (ms) => void sim.advanceClock(ms),
  now: () => sim.clock.now(),
  initialDelayMs: 10_000,
  maxDelayMs: 60_000,
  deadlineMs: 3_600_000,
});

beforeAll(async () => {
  sim = await startTestSimulator({
    timings: { icaLinkBatchMs: 45_000, icaArchiveMs: 120_000, icaUnarchiveMs: 300_000, icaDeleteMs: 60_000 },
  });
  ica = icaClientFor(sim);
  sourceId = (await resolveProject(ica, SOURCE_PROJECT_NAME)).id;
  destinationId = (await resolveProject(ica, DESTINATION_PROJECT_NAME)).id;
  analyses = await projectAnalysesSnapshot(ica, sourceId);
});
beforeEach(() => {
  sim.reset();
  ica = icaClientFor(sim);
});
afterAll(() => sim.stop());

const byRow = (row: number) => analyses.find((a) => a.id.startsWith(`a00000${String(row).padStart(2, "0")}`)) as IcaAnalysis;

async function fastqsOf(row: number): Promise<IcaData[]> {
  const folder = await outputFolderOf(ica, sourceId, byRow(row));
  return (await filesUnder(ica, sourceId, folder.path)).filter((f) => f.name.endsWith(".fastq.gz"));
}

/** Polls a data item's status until it reads `final`, returning the statuses seen on the way. */
async function statusesUntil(dataId: string, final: ObservedDataStatus): Promise<ObservedDataStatus[]> {
  const seen: ObservedDataStatus[] = [];
  await pollUntil(
    `${dataId} to become ${final}`,
    async () => {
      const status = await getDataStatus(ica, sourceId, dataId);
      if (seen[seen.length - 1] !== status) seen.push(status);
      return status;
    },
    (status) => status === final,
    (status) => status,
    simPoll(),
  );
  return seen;
}

/** The manifest's upload path (steps/manage/manifest-upload): create or find the file, upload while PARTIAL. */
async function createAndUpload(name: string, bytes: Buffer, idempotencyKey: string): Promise<{ file: IcaData; uploaded: boolean }> {
  const { file } = await createFileAtPath(ica, destinationId, { folderPath: "/fastq_manifests/", name }, { idempotencyKey });
  if (file.status !== "PARTIAL") return { file, uploaded: false };
  await uploadViaPresignedUrl(ica, destinationId, file.id, bytes, "text/csv");
  return { file: await ica.getData(destinationId, file.id), uploaded: true };
}

describe("data linking", () => {
  it("links in chunks, waits for the batches, and a re-run is ALREADY_LINKED", async () => {
    const fastqs = await fastqsOf(1);
    expect(fastqs.length).toBeGreaterThan(5);
    const journaled: string[] = [];
    const first = await linkData(ica, destinationId, fastqs.map((f) => f.id), {
      chunkSize: 5,
      poll: simPoll(),
      onBatchCreated: (batchId) => void journaled.push(batchId),
    });
    expect(first.batches).toHaveLength(Math.ceil(fastqs.length / 5));
    expect(journaled).toEqual(first.batches.map((b) => b.batchId));
    expect(first.batches.every((b) => b.status === "SUCCEEDED")).toBe(true);
    expect(first.items.every((i) => i.status === "LINKED")).toBe(true);
    expect(first.failedDataIds).toEqual([]);

    const linked = await collect(ica.listData(destinationId, { id: fastqs.map((f) => f.id) }));
    expect(linked.map((d) => d.id).sort()).toEqual(fastqs.map((f) => f.id).sort());
    expect(linked.every((d) => d.owningProjectId === sourceId && d.projectId === destinationId)).toBe(true);
    // Linked data keeps its path, so the destination can be checked by folder instead of by a long id list.
    const folder = await outputFolderOf(ica, sourceId, byRow(1));
    const inDestination = await filesUnder(ica, destinationId, folder.path);
    expect(inDestination.map((d) => d.id).sort()).toEqual(fastqs.map((f) => f.id).sort());

    const again = await linkData(ica, destinationId, fastqs.map((f) => f.id), { poll: simPoll() });
    expect(again.items.every((i) => i.status === "ALREADY_LINKED" && i.linked)).toBe(true);
    expect(again.failedDataIds).toEqual([]);
  });

  it("can skip reading the items of a batch that SUCCEEDED: all of them are linked", async () => {
    const fastqs = await fastqsOf(9);
    expect(fastqs.length).toBeGreaterThan(0);
    const counting = icaClientFor(sim);
    const outcome = await linkData(counting, destinationId, fastqs.map((f) => f.id), { poll: simPoll(), readSucceededItems: false });
    expect(outcome.batches.map((b) => b.status)).toEqual(["SUCCEEDED"]);
    expect(outcome.items.every((i) => i.linked && i.status === "LINKED")).toBe(true);
    expect(counting.stats.snapshot().routes["ica GET /api/projects/{projectId}/dataLinkingBatch/{batchId}/items"]).toBeUndefined();
  });

  it("reports the items that failed, and reads item pages beyond the first", async () => {
    const fastqs = await fastqsOf(2);
    const failing = fastqs[1]?.id as string;
    sim.setFaults({ linkItemFailures: { dataIds: [failing], rate: 0 } });
    const paged = icaClientFor(sim, { pageSize: 2 });
    const outcome = await linkData(paged, destinationId, fastqs.map((f) => f.id), { poll: simPoll() });
    expect(outcome.batches.map((b) => b.status)).toEqual(["PARTIALLY_SUCCEEDED"]);
    expect(outcome.failedDataIds).toEqual([failing]);
    expect(outcome.items.find((i) => i.dataId === failing)?.status).toBe("FAILED");
    const itemPages = paged.stats.snapshot().routes["ica GET /api/projects/{projectId}/dataLinkingBatch/{batchId}/items"];
    expect(itemPages?.requests).toBe(Math.ceil(fastqs.length / 2));
  });

  it("gives up waiting at the deadline and reports the batch as timed out", async () => {
    const fastqs = await fastqsOf(3);
    const outcome = await linkData(ica, destinationId, [fastqs[0]?.id as string], { poll: { ...simPoll(), deadlineMs: 20_000 } });
    expect(outcome.batches[0]?.status).toBe("TIMED_OUT");
    expect(outcome.failedDataIds).toEqual([fastqs[0]?.id]);
    expect(outcome.items[0]?.info).toMatch(/did not finish within 20 s \(last state: RUNNING\)/);
  });
});

describe("creating and uploading files", () => {
  const folderPath = "/fastq_manifests/";

  it("creates a PARTIAL file, and a second create of the path returns the existing one", async () => {
    const created = await createFileAtPath(ica, destinationId, { folderPath, name: "run-a.csv" }, { idempotencyKey: "k-1" });
    expect(created.created).toBe(true);
    expect(created.file.status).toBe("PARTIAL");
    expect(created.file.path).toBe("/fastq_manifests/run-a.csv");
    const replay = await createFileAtPath(ica, destinationId, { folderPath, name: "run-a.csv" }, { idempotencyKey: "k-1" });
    expect(replay.file.id).toBe(created.file.id);
    const conflict = await createFileAtPath(ica, destinationId, { folderPath, name: "run-a.csv" }, { idempotencyKey: "k-2" });
    expect(conflict).toEqual({ file: created.file, created: false, existingAnswered: 409 });
    expect((await findFileByPath(ica, destinationId, "/fastq_manifests/run-a.csv"))?.id).toBe(created.file.id);
    expect(await findFileByPath(ica, destinationId, "/fastq_manifests/RUN-A.csv")).toBeUndefined();
    const variant = await createFileAtPath(ica, destinationId, { folderPath, name: "RUN-A.csv" }, { idempotencyKey: "k-3" });
    expect((await findFileByPath(ica, destinationId, "/fastq_manifests/RUN-A.csv"))?.id).toBe(variant.file.id);
    expect((await findFileByPath(ica, destinationId, "/fastq_manifests/run-a.csv"))?.id).toBe(created.file.id);
  });

  it("a 400 on a create is looked into: a file at the path is returned as existing (ica.duplicate-path), otherwise the 400 is thrown", async () => {
    sim.setAssumptions({ "ica.duplicate-path": "bad-request" });
    const created = await createFileAtPath(ica, destinationId, { folderPath, name: "run-c.csv" }, { idempotencyKey: "c-1" });
    const again = await createFileAtPath(ica, destinationId, { folderPath, name: "run-c.csv" }, { idempotencyKey: "c-2" });
    expect(again).toEqual({ file: created.file, created: false, existingAnswered: 400 });
    // A create the simulator refuses for its own reason (no such folder path form) stays the 400 it is.
    await expect(createFileAtPath(ica, destinationId, { folderPath: "no-leading-slash/", name: "x.csv" }, { idempotencyKey: "c-3" })).rejects.toThrow(/400/);
  });

  it("uploads through a presigned URL, resumes a PARTIAL file, never makes a second copy", async () => {
    const bytes = Buffer.from("file_name,file_path,data_id,project_id\nM-1_R1.fastq.gz,/x,fil.1,p\n");
    // An earlier run created the entry and died before uploading.
    await createFileAtPath(ica, destinationId, { folderPath, name: "run-b.csv" }, { idempotencyKey: "first-run" });
    const put = await createAndUpload("run-b.csv", bytes, "second-run");
    expect(put.uploaded).toBe(true);
    expect(put.file.status).toBe("AVAILABLE");
    expect(put.file.sizeBytes).toBe(bytes.length);
    expect(await downloadSmallFile(ica, destinationId, put.file)).toEqual(bytes);
    const rerun = await createAndUpload("run-b.csv", bytes, "third-run");
    expect(rerun).toEqual({ file: put.file, uploaded: false });
    const copies = await collect(ica.listData(destinationId, { filename: ["run-b.csv"], filenameMatchMode: "EXACT" }));
    expect(copies).toHaveLength(1);
  });
});

describe("archive, unarchive, delete", () => {
  it("moves an output folder through ARCHIVING → ARCHIVED → UNARCHIVING → AVAILABLE → DELETING → gone", async () => {
    const folder = await outputFolderOf(ica, sourceId, byRow(10));
    await requestLifecycleAction(ica, sourceId, folder.id, "archive");
    expect(await statusesUntil(folder.id, "ARCHIVED")).toEqual(["ARCHIVING", "ARCHIVED"]);
    const inside = (await filesUnder(ica, sourceId, folder.path))[0] as IcaData;
    expect(inside.status).toBe("ARCHIVED");
    await requestLifecycleAction(ica, sourceId, folder.id, "unarchive");
    expect(await statusesUntil(folder.id, "AVAILABLE")).toEqual(["UNARCHIVING", "AVAILABLE"]);
    await requestLifecycleAction(ica, sourceId, folder.id, "delete");
    expect(await statusesUntil(folder.id, "DELETED")).toEqual(["DELETING", "DELETED"]);
    expect(await getDataStatus(ica, sourceId, inside.id)).toBe("DELETED");
  });

  it("sends the request once; after an ambiguous failure the caller's one read decides, not a second one here", async () => {
    const folder = await outputFolderOf(ica, sourceId, byRow(12));
    const route = "POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive";
    const read = "GET /ica/rest/api/projects/{projectId}/data/{dataId}";
    sim.setFaults({ rules: [{ route, rate: 1, kinds: ["500"], limit: 1 }] });
    sim.resetStats();
    const error = await requestLifecycleAction(ica, sourceId, folder.id, "archive").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).attempts).toBe(1);
    expect(sim.stats().byRoute[read] ?? 0).toBe(0);

    // As the lifecycle step does it (rereadIcaAction): read, call (500 again), then ONE read after the
    // failure shows the work not done, so the call is made once more.
    sim.setFaults({ rules: [{ route, rate: 1, kinds: ["500"], limit: 1 }] });
    sim.resetStats();
    const outcome = await rereadBeforeActing({
      reread: (called) => lifecycleBasis(ica, sourceId, folder.id, "archive", { status: "AVAILABLE" }, called),
      call: () => requestLifecycleAction(ica, sourceId, folder.id, "archive"),
      wait: async () => undefined,
    });
    expect(outcome).toEqual({ outcome: "done", confirmedByReread: false });
    expect(sim.stats().byRoute[route]).toBe(2);
    expect(sim.stats().byRoute[read]).toBe(2);
    expect(await getDataStatus(ica, sourceId, folder.id)).toBe("ARCHIVING");
  });
});
