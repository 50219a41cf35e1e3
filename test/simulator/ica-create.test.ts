import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { DONE_FOLDER, SOURCE, icaApi, startIcaSim } from "./ica-harness.js";

let sim: Simulator;
let api: ReturnType<typeof icaApi>;

beforeAll(async () => {
  sim = await startIcaSim();
  api = icaApi(sim);
});
afterAll(() => sim.stop());

const create = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
  api("POST", `/projects/${SOURCE}/${operation}`, { body, headers });

async function idAt(path: string): Promise<string | undefined> {
  const found = await api("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(path)}&filePathMatchMode=FULL_CASE_INSENSITIVE`);
  return found.body.items[0]?.data.id;
}

describe("ICA simulator: creating data", () => {
  it("creates a PARTIAL file and its missing folders, and refuses the same path with 409", async () => {
    const made = await create("data:createFile", { name: "run1.csv", folderPath: "/fastq_manifests/2025/" });
    expect(made.status).toBe(201);
    expect(made.contentType).toBe("application/vnd.illumina.v3+json");
    expect(made.body).toMatchObject({
      projectId: SOURCE,
      data: { details: { path: "/fastq_manifests/2025/run1.csv", name: "run1.csv", status: "PARTIAL", dataType: "FILE", format: { code: "CSV" } } },
    });
    expect(made.body.data.details).not.toHaveProperty("fileSizeInBytes");
    expect(await idAt("/fastq_manifests/2025/")).toMatch(/^fol\./);
    const again = await create("data:createFile", { name: "run1.csv", folderPath: "/fastq_manifests/2025/" });
    expect(again.status).toBe(409);
    expect(again.contentType).toBe("application/problem+json");
    expect(again.body.detail).toContain(made.body.data.id);
  });

  it("validates the body", async () => {
    expect((await create("data:createFile", { name: "x.csv", folderPath: "/no-trailing-slash" })).status).toBe(400);
    expect((await create("data:createFile", { name: "a/b.csv" })).status).toBe(400);
    expect((await create("data:createFile", { folderPath: "/x/" })).body.parameters).toHaveProperty("name");
    expect((await create("data:createFile", "{not json")).status).toBe(400);
    expect((await create("data:createFile", { name: "x.csv", folderPath: "/a/", folderId: "fol.1" })).status).toBe(400);
  });

  it("creates folders (createFolder, deprecated POST data) and files by folderId", async () => {
    const folder = await create("data:createFolder", { name: "deliveries", folderPath: "/" });
    expect(folder.body.data.details).toMatchObject({ path: "/deliveries/", dataType: "FOLDER", status: "AVAILABLE" });
    expect((await create("data:createFolder", { name: "deliveries" })).status).toBe(409);
    const legacy = await create("data", { name: "legacy", dataType: "FOLDER", folderId: folder.body.data.id });
    expect(legacy.body.data.details.path).toBe("/deliveries/legacy/");
    const file = await create("data", { name: "notes.txt", dataType: "FILE", folderPath: "/deliveries/" }, { "Content-Type": "application/json" });
    expect(file.body.data.details).toMatchObject({ path: "/deliveries/notes.txt", status: "PARTIAL" });
  });

  it("honours Idempotency-Key: replay, 422 on another body, errors not stored", async () => {
    const headers = { "Idempotency-Key": "manifest-upload-0001" };
    const first = await create("data:createFile", { name: "idem.csv", folderPath: "/fastq_manifests/" }, headers);
    const replay = await create("data:createFile", { name: "idem.csv", folderPath: "/fastq_manifests/" }, headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const otherBody = await create("data:createFile", { name: "other.csv", folderPath: "/fastq_manifests/" }, headers);
    expect(otherBody.status).toBe(422);
    const failing = { "Idempotency-Key": "manifest-upload-0002" };
    expect((await create("data:createFile", { name: "bad", folderPath: "nope" }, failing)).status).toBe(400);
    expect((await create("data:createFile", { name: "fine.csv", folderPath: "/fastq_manifests/" }, failing)).status).toBe(201);
    expect((await create("data:createFile", { name: "x.csv" }, { "Idempotency-Key": "k".repeat(256) })).status).toBe(400);
  });
});

describe("ICA simulator: credentials, uploads and downloads", () => {
  it("issues AWS and RCLONE temporary credentials scoped to the data's object key", async () => {
    const made = await create("data:createFileWithTemporaryCredentials", { name: "creds.csv", folderPath: "/fastq_manifests/" });
    expect(made.status).toBe(201);
    const key = `${SOURCE}/fastq_manifests/creds.csv`;
    expect(made.body).toMatchObject({ projectId: SOURCE, data: { details: { status: "PARTIAL" } } });
    expect(made.body.tempCredentials.awsTempCredentials).toMatchObject({
      accessKey: expect.any(String),
      secretKey: expect.any(String),
      sessionToken: expect.any(String),
      region: sim.objects.region,
      bucket: sim.objects.bucket,
      objectPrefix: key,
      serverSideEncryptionAlgorithm: "AES256",
    });
    const rclone = await api("POST", `/projects/${SOURCE}/data/${made.body.data.id}:createTemporaryCredentials`, {
      body: { credentialsFormat: "RCLONE", readOnlyCredentials: true },
    });
    expect(rclone.status).toBe(200);
    const r = rclone.body.rcloneTempCredentials;
    expect(r.config).toMatchObject({ access_key_id: expect.any(String), secret_access_key: expect.any(String), session_token: expect.any(String), region: sim.objects.region });
    expect(r.filePathPrefix).toBe(`${sim.objects.bucket}/${key}`);
    expect(r.storageType).toBe("AWS_S3");
    expect(Date.parse(r.expirationTime) - sim.clock.now()).toBeGreaterThan(35 * 3600_000);
    const noBody = await api("POST", `/projects/${SOURCE}/data/${made.body.data.id}:createTemporaryCredentials`);
    expect(noBody.body).toHaveProperty("awsTempCredentials.objectPrefix", key);
  });

  it("turns a PARTIAL file AVAILABLE when its bytes are PUT to the upload URL, then serves them", async () => {
    const made = await create("data:createFileWithUploadUrl", { name: "upload.csv", folderPath: "/fastq_manifests/" });
    expect(made.body).toMatchObject({ projectId: SOURCE, uploadUrl: expect.stringContaining(sim.s3Url) });
    const id = made.body.data.id;
    const url = await api("POST", `/projects/${SOURCE}/data/${id}:createUploadUrl`);
    expect(url.body.url).toContain(sim.s3Url);
    expect((await api("POST", `/projects/${SOURCE}/data/${id}:createDownloadUrl`)).status).toBe(409);
    const bytes = "sample,lane\nS1,1\n";
    expect((await fetch(url.body.url, { method: "PUT", body: bytes })).status).toBe(200);
    const after = await api("GET", `/projects/${SOURCE}/data/${id}`);
    expect(after.body.data.details).toMatchObject({ status: "AVAILABLE", fileSizeInBytes: Buffer.byteLength(bytes) });
    expect((await api("POST", `/projects/${SOURCE}/data/${id}:createUploadUrl`)).status).toBe(409);
    const download = await api("POST", `/projects/${SOURCE}/data/${id}:createDownloadUrl`);
    expect(await (await fetch(download.body.url)).text()).toBe(bytes);
  });

  it("serves fixture marker files and refuses download URLs for folders", async () => {
    const marker = await idAt(`${DONE_FOLDER}output/bsshoutput.json`);
    const download = await api("POST", `/projects/${SOURCE}/data/${marker}:createDownloadUrl`);
    expect(JSON.parse(await (await fetch(download.body.url)).text())).toEqual({ Projects: { p1: { Name: "Run1" } } });
    const folder = await idAt("/fastq_manifests/");
    expect((await api("POST", `/projects/${SOURCE}/data/${folder}:createDownloadUrl`)).status).toBe(400);
    expect((await api("POST", `/projects/${SOURCE}/data/${folder}:createUploadUrl`)).status).toBe(400);
  });
});

describe("ICA simulator: deterministic ids", () => {
  it("gives the same fixture and created ids in two independent simulators", async () => {
    const other = await startIcaSim();
    try {
      const otherApi = icaApi(other);
      const body = { name: "same.csv", folderPath: "/fastq_manifests/" };
      const a = await create("data:createFile", body);
      const b = await otherApi("POST", `/projects/${SOURCE}/data:createFile`, { body });
      expect(a.body.data.id).toBe(b.body.data.id);
      const listA = await api("GET", `/projects/${SOURCE}/data?filePath=/ilmn-analyses/&pageSize=50`);
      const listB = await otherApi("GET", `/projects/${SOURCE}/data?filePath=/ilmn-analyses/&pageSize=50`);
      expect(listA.body.items.map((r: { data: { id: string } }) => r.data.id)).toEqual(listB.body.items.map((r: { data: { id: string } }) => r.data.id));
    } finally {
      await other.stop();
    }
  });
});
