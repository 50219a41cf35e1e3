import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GeneratedContent } from "../../src/simulator/generated-content.js";
import { BUCKET } from "../../src/simulator/s3/assumptions.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { ARCHIVED, DONE_FOLDER, SOURCE, icaApi, icaTestFixture } from "./ica-harness.js";

const MiB = 1024 * 1024;
const BIG_PATH = "/runs/Big_S1_L001_R1_001.fastq.gz";
const BIG_BYTES = 20_000_000_000;
/** Three upload parts: two of 8 MiB and a short last one. */
const CAP = 2 * 8 * MiB + 5;

function fixture() {
  const f = icaTestFixture();
  f.ica.files = [...(f.ica.files ?? []), { projectId: SOURCE, path: BIG_PATH, sizeBytes: BIG_BYTES }];
  return f;
}

interface Listed {
  id: string;
  path: string;
  size: number;
  etag: string | undefined;
}

async function listFiles(sim: Simulator, prefix: string): Promise<Listed[]> {
  const page = await icaApi(sim)("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(prefix)}&type=FILE&pageSize=1000`);
  return page.body.items.map((r: { data: { id: string; details: { path: string; fileSizeInBytes: number; objectETag?: string } } }) => ({
    id: r.data.id,
    path: r.data.details.path,
    size: r.data.details.fileSizeInBytes,
    etag: r.data.details.objectETag,
  }));
}

async function downloadUrl(sim: Simulator, dataId: string): Promise<string> {
  return (await icaApi(sim)("POST", `/projects/${SOURCE}/data/${dataId}:createDownloadUrl`)).body.url;
}

async function s3For(sim: Simulator, dataId: string): Promise<S3Client> {
  const creds = (await icaApi(sim)("POST", `/projects/${SOURCE}/data/${dataId}:createTemporaryCredentials`, { body: { readOnlyCredentials: true } })).body
    .awsTempCredentials;
  return new S3Client({
    endpoint: sim.s3Url,
    region: creds.region,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: creds.accessKey, secretAccessKey: creds.secretKey, sessionToken: creds.sessionToken },
  });
}

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
const errorCode = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

describe("S3 serves every ICA file's bytes (no cap)", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ fixture: fixture(), startMs: Date.now() });
  });
  afterAll(() => sim.stop());

  it("lists a 20 GB file with the multipart ETag S3 serves, and answers HEAD and a range without reading it", async () => {
    const [big] = await listFiles(sim, BIG_PATH);
    expect(big).toMatchObject({ size: BIG_BYTES, etag: expect.stringMatching(/^[0-9a-f]{32}-2385$/) });
    const s3 = await s3For(sim, big?.id as string);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${SOURCE}${BIG_PATH}` }));
    expect(head.ContentLength).toBe(BIG_BYTES);
    expect(head.ETag).toBe(`"${big?.etag}"`);

    const tail = await fetch(await downloadUrl(sim, big?.id as string), { headers: { Range: "bytes=-100" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${BIG_BYTES - 100}-${BIG_BYTES - 1}/${BIG_BYTES}`);
    expect(tail.headers.get("content-length")).toBe("100");
    const expected = Buffer.concat([...new GeneratedContent(big?.id as string, BIG_BYTES).read(BIG_BYTES - 100, BIG_BYTES)]);
    expect((await bytesOf(tail)).equals(expected)).toBe(true);
  });

  it("gives small files a plain MD5 ETag equal to the MD5 of the bytes served", async () => {
    const files = (await listFiles(sim, DONE_FOLDER)).filter((f) => f.path.endsWith(".fastq.gz"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const body = await bytesOf(await fetch(await downloadUrl(sim, file.id)));
      expect(body).toHaveLength(file.size);
      expect(file.etag).toBe(createHash("md5").update(body).digest("hex"));
    }
  });

  it("keeps an archived file's ETag and HEAD, but GetObject is 403 InvalidObjectState", async () => {
    const [archived] = await listFiles(sim, `/ilmn-analyses/`).then((all) => all.filter((f) => f.path.includes(ARCHIVED)));
    expect(archived?.etag).toMatch(/^[0-9a-f]{32}$/);
    const s3 = await s3For(sim, archived?.id as string);
    const key = `${SOURCE}${archived?.path}`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({ ETag: `"${archived?.etag}"`, StorageClass: "DEEP_ARCHIVE" });
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({ name: "InvalidObjectState" });
  });

  it("refuses a download URL past its expiry on the simulated clock: 403 AccessDenied, Request has expired", async () => {
    const [big] = await listFiles(sim, BIG_PATH);
    const url = await downloadUrl(sim, big?.id as string);
    sim.advanceClock(sim.timings.credentialsTtlMs + 1_000);
    const late = await fetch(url, { headers: { Range: "bytes=0-9" } });
    expect(late.status).toBe(403);
    const text = await late.text();
    expect(errorCode(text)).toBe("AccessDenied");
    expect(text).toContain("Request has expired");
  });
});

describe("S3 with fileBytesCap", () => {
  let sim: Simulator;
  let big: Listed;
  let full: Buffer;
  beforeAll(async () => {
    sim = await startSimulator({ fixture: fixture(), startMs: Date.now(), fileBytesCap: CAP });
    [big] = (await listFiles(sim, BIG_PATH)) as [Listed];
    full = await bytesOf(await fetch(await downloadUrl(sim, big.id)));
  });
  afterAll(() => sim.stop());

  it("lists and serves big files at the cap, small files as they are", async () => {
    expect(big.size).toBe(CAP);
    expect(full).toHaveLength(CAP);
    const small = (await listFiles(sim, DONE_FOLDER)).filter((f) => f.path.endsWith(".fastq.gz"));
    expect(small.map((f) => f.size).every((size) => size > 1_000 && size < 2_000)).toBe(true);
  });

  it("has the multipart ETag recomputed from the bytes served in 8 MiB parts", () => {
    const parts = [0, 1, 2].map((p) => createHash("md5").update(full.subarray(p * 8 * MiB, (p + 1) * 8 * MiB)).digest());
    expect(big.etag).toBe(`${createHash("md5").update(Buffer.concat(parts)).digest("hex")}-3`);
  });

  it("serves ranges as slices of the full read, 416 past the end", async () => {
    const url = await downloadUrl(sim, big.id);
    for (const [range, start, end] of [
      ["bytes=0-0", 0, 1],
      [`bytes=${8 * MiB - 10}-${8 * MiB + 9}`, 8 * MiB - 10, 8 * MiB + 10],
      [`bytes=${CAP - 40}-`, CAP - 40, CAP],
      [`bytes=${CAP - 3}-${CAP + 1_000}`, CAP - 3, CAP],
    ] as const) {
      const res = await fetch(url, { headers: { Range: range } });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end - 1}/${CAP}`);
      expect((await bytesOf(res)).equals(full.subarray(start, end))).toBe(true);
    }
    const past = await fetch(url, { headers: { Range: `bytes=${CAP}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${CAP}`);
    expect(errorCode(await past.text())).toBe("InvalidRange");
  });

  it("serves one upload part by ?partNumber with the part count, as S3 does", async () => {
    const s3 = await s3For(sim, big.id);
    const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${SOURCE}${BIG_PATH}`, PartNumber: 3 }));
    expect(part.PartsCount).toBe(3);
    expect(part.ContentRange).toBe(`bytes ${16 * MiB}-${CAP - 1}/${CAP}`);
    expect(Buffer.from(await (part.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()).equals(full.subarray(16 * MiB))).toBe(true);
  });
});
