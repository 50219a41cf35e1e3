import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ScopedCredentials } from "../../src/simulator/context.js";
import { BUCKET as S3_BUCKET } from "../../src/simulator/s3/assumptions.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startS3Sim } from "./s3-helpers.js";

const PREFIX = "11111111-1111-4111-8111-111111111111/fastq_manifests/";
const MiB = 1024 * 1024;

let sim: Simulator;
let writes: { key: string; size: number }[];
beforeAll(async () => {
  sim = await startS3Sim();
});
beforeEach(() => {
  sim.reset();
  writes = [];
  sim.objects.onWrite((key, size) => writes.push({ key, size }));
});
afterAll(() => sim.stop());

function client(creds: ScopedCredentials, override: Partial<{ secretKey: string; sessionToken: string; accessKey: string }> = {}): S3Client {
  return new S3Client({
    endpoint: sim.s3Url,
    region: creds.region,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: override.accessKey ?? creds.accessKey,
      secretAccessKey: override.secretKey ?? creds.secretKey,
      sessionToken: override.sessionToken ?? creds.sessionToken,
    },
  });
}

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
/** Bytes that differ from part to part, so a misplaced or duplicated part changes the content. */
function pattern(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 9)) & 0xff;
  return out;
}

async function bodyOf(s3: S3Client, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** The S3 error code and HTTP status an SDK call failed with. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  try {
    await call;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call was expected to be refused");
}

describe("S3 with @aws-sdk/client-s3", () => {
  it("round-trips a PutObject byte for byte, with an MD5 ETag, and tells onWrite", async () => {
    const creds = sim.objects.issueCredentials(PREFIX, { readOnly: false });
    const s3 = client(creds);
    const key = `${PREFIX}sub/dir/run 1+(final)! 100% ü*.csv`;
    const bytes = Buffer.from("sample,fastq\nS1,/data/S1_R1.fastq.gz\n");
    const put = await s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: key, Body: bytes, ContentType: "text/csv" }));
    expect(put.ETag).toBe(`"${md5(bytes)}"`);
    expect(await bodyOf(s3, key)).toEqual(bytes);
    expect(sim.objects.get(key)).toEqual(bytes);
    expect(writes).toEqual([{ key, size: bytes.length }]);

    const head = await s3.send(new HeadObjectCommand({ Bucket: S3_BUCKET, Key: key }));
    expect(head).toMatchObject({ ContentLength: bytes.length, ContentType: "text/csv", ETag: `"${md5(bytes)}"` });
  });

  it("decodes the aws-chunked body (trailing CRC32) the SDK sends for streams", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const parts = [pattern(70_000), pattern(3), pattern(65_536)];
    const whole = Buffer.concat(parts);
    await s3.send(
      new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}stream.bin`, Body: Readable.from(parts), ContentLength: whole.length }),
    );
    expect(sim.objects.get(`${PREFIX}stream.bin`)).toEqual(whole);
  });

  it("refuses a body whose checksum does not match", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const put = s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}x`, Body: "abc", ChecksumCRC32: "AAAAAA==" }));
    expect(await refusal(put)).toEqual({ code: "BadDigest", status: 400 });
    expect(sim.objects.get(`${PREFIX}x`)).toBeUndefined();
  });

  it("deletes objects; a missing key is NoSuchKey", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    await s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}gone.csv`, Body: "x" }));
    await s3.send(new DeleteObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}gone.csv` }));
    expect(await refusal(s3.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}gone.csv` })))).toEqual({
      code: "NoSuchKey",
      status: 404,
    });
    expect(await refusal(s3.send(new HeadObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}gone.csv` })))).toMatchObject({ status: 404 });
  });
});

describe("S3 with @aws-sdk/lib-storage Upload", () => {
  it("uploads a small body in one PutObject", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const bytes = pattern(1000);
    await new Upload({ client: s3, params: { Bucket: S3_BUCKET, Key: `${PREFIX}small.bin`, Body: bytes } }).done();
    expect(sim.objects.get(`${PREFIX}small.bin`)).toEqual(bytes);
    expect(writes).toEqual([{ key: `${PREFIX}small.bin`, size: 1000 }]);
  });

  it("uploads 12 MB in 5 MB parts: exact bytes, multipart ETag, one onWrite", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const bytes = pattern(12 * MiB);
    const key = `${PREFIX}big.fastq.gz`;
    const done = await new Upload({ client: s3, params: { Bucket: S3_BUCKET, Key: key, Body: bytes }, partSize: 5 * MiB }).done();
    const partMd5s = [0, 5, 10].map((start) => createHash("md5").update(bytes.subarray(start * MiB, Math.min(12, start + 5) * MiB)).digest());
    expect(done.ETag).toBe(`"${md5(Buffer.concat(partMd5s))}-3"`);
    expect(md5(await bodyOf(s3, key))).toBe(md5(bytes));
    expect(writes).toEqual([{ key, size: 12 * MiB }]);
    expect(sim.state().counts.s3).toMatchObject({ objects: 1, bytes: 12 * MiB, multipartUploadsInProgress: 0 });
  });

  it("enforces the 5 MiB minimum part size and forgets aborted uploads", async () => {
    const s3 = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const Key = `${PREFIX}parts.bin`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: S3_BUCKET, Key }));
    const etags = [];
    for (const PartNumber of [1, 2]) {
      const part = await s3.send(new UploadPartCommand({ Bucket: S3_BUCKET, Key, UploadId, PartNumber, Body: pattern(10) }));
      etags.push({ PartNumber, ETag: part.ETag });
    }
    const complete = s3.send(new CompleteMultipartUploadCommand({ Bucket: S3_BUCKET, Key, UploadId, MultipartUpload: { Parts: etags } }));
    expect(await refusal(complete)).toEqual({ code: "EntityTooSmall", status: 400 });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: S3_BUCKET, Key, UploadId }));
    const late = s3.send(new UploadPartCommand({ Bucket: S3_BUCKET, Key, UploadId, PartNumber: 3, Body: "x" }));
    expect(await refusal(late)).toEqual({ code: "NoSuchUpload", status: 404 });
    expect(writes).toEqual([]);
  });
});

describe("S3 refusals", () => {
  it("refuses keys outside the credentials' prefix and writes with read-only credentials", async () => {
    const writer = client(sim.objects.issueCredentials(PREFIX, { readOnly: false }));
    const outside = writer.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: "other-project/x.csv", Body: "x" }));
    expect(await refusal(outside)).toEqual({ code: "AccessDenied", status: 403 });

    await writer.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}r.csv`, Body: "r" }));
    const reader = client(sim.objects.issueCredentials(PREFIX, { readOnly: true }));
    expect((await bodyOf(reader, `${PREFIX}r.csv`)).toString()).toBe("r");
    const write = reader.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}r.csv`, Body: "overwritten" }));
    expect(await refusal(write)).toEqual({ code: "AccessDenied", status: 403 });
    expect(sim.objects.get(`${PREFIX}r.csv`)?.toString()).toBe("r");
  });

  it("refuses unknown keys, wrong secrets, wrong session tokens and other buckets", async () => {
    const creds = sim.objects.issueCredentials(PREFIX, { readOnly: false });
    const put = (s3: S3Client, Bucket = S3_BUCKET) => s3.send(new PutObjectCommand({ Bucket, Key: `${PREFIX}a`, Body: "a" }));
    expect(await refusal(put(client(creds, { accessKey: "ASIAUNKNOWNKEY000000" })))).toEqual({ code: "InvalidAccessKeyId", status: 403 });
    expect(await refusal(put(client(creds, { secretKey: `${creds.secretKey.slice(1)}x` })))).toEqual({
      code: "SignatureDoesNotMatch",
      status: 403,
    });
    expect(await refusal(put(client(creds, { sessionToken: "forged" })))).toEqual({ code: "InvalidToken", status: 403 });
    expect(await refusal(put(client(creds), "someone-elses-bucket"))).toEqual({ code: "NoSuchBucket", status: 404 });
    expect(sim.state().counts.s3).toMatchObject({ objects: 0 });
  });

  it("refuses a request signed for another region", async () => {
    const creds = sim.objects.issueCredentials(PREFIX, { readOnly: false });
    const s3 = new S3Client({
      endpoint: sim.s3Url,
      region: "eu-west-1",
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: creds.accessKey, secretAccessKey: creds.secretKey, sessionToken: creds.sessionToken },
    });
    const put = s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}a`, Body: "a" }));
    expect(await refusal(put)).toEqual({ code: "AuthorizationHeaderMalformed", status: 400 });
  });

  it("refuses credentials once the simulated clock passes their expiry", async () => {
    const creds = sim.objects.issueCredentials(PREFIX, { readOnly: false });
    const s3 = client(creds);
    await s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}a`, Body: "a" }));
    sim.advanceClock(sim.timings.credentialsTtlMs + 1);
    const late = s3.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: `${PREFIX}a`, Body: "b" }));
    expect(await refusal(late)).toEqual({ code: "ExpiredToken", status: 403 });
  });
});
