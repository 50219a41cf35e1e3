import { createHash, createHmac } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ScopedCredentials } from "../../src/simulator/context.js";
import { BUCKET as S3_BUCKET } from "../../src/simulator/s3/assumptions.js";
import { presignUrl } from "../../src/simulator/s3/sigv4.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startS3Sim } from "./s3-helpers.js";

const KEY = "11111111-1111-4111-8111-111111111111/fastq_manifests/run 7 (a+b).csv";

let sim: Simulator;
let writes: { key: string; size: number }[];
beforeAll(async () => {
  // Real start time: URLs presigned by the SDK carry the real clock, and expiry is judged by the simulated one.
  sim = await startS3Sim({ startMs: Date.now() });
});
beforeEach(() => {
  sim.reset();
  writes = [];
  sim.objects.onWrite((key, size) => writes.push({ key, size }));
});
afterAll(() => sim.stop());

/** The S3 error code of a refused plain-HTTP request. */
const errorCode = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];

describe("presigned URLs from the object store", () => {
  it("work for a plain HTTP PUT and GET, and the PUT notifies onWrite", async () => {
    const bytes = Buffer.from("Sample_ID,Path\nS1,/fastq/S1_R1.fastq.gz\n");
    const put = await fetch(sim.objects.presignedUrl("PUT", KEY), { method: "PUT", body: bytes });
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toBe(`"${createHash("md5").update(bytes).digest("hex")}"`);
    expect(writes).toEqual([{ key: KEY, size: bytes.length }]);

    const get = await fetch(sim.objects.presignedUrl("GET", KEY));
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(bytes);
  });

  it("cannot be bent to another method, key or signature", async () => {
    sim.objects.put(KEY, Buffer.from("original"));
    const getUrl = sim.objects.presignedUrl("GET", KEY);
    const asPut = await fetch(getUrl, { method: "PUT", body: "overwrite" });
    expect(asPut.status).toBe(403);
    expect(await errorCode(asPut)).toBe("SignatureDoesNotMatch");

    const otherKey = await fetch(getUrl.replace("run%207", "run%208"));
    expect(await errorCode(otherKey)).toBe("SignatureDoesNotMatch");
    const badSig = await fetch(getUrl.replace(/X-Amz-Signature=[0-9a-f]{4}/, "X-Amz-Signature=0000"));
    expect(await errorCode(badSig)).toBe("SignatureDoesNotMatch");
    const unsignedHeader = await fetch(getUrl, { headers: { "x-amz-meta-owner": "someone" } });
    expect(unsignedHeader.status).toBe(403);
    expect(await unsignedHeader.text()).toContain("not signed: x-amz-meta-owner");
    expect(sim.objects.get(KEY)?.toString()).toBe("original");
    expect(writes).toEqual([]);
  });

  it("stop working when they expire on the simulated clock: 403 AccessDenied, Request has expired", async () => {
    const url = sim.objects.presignedUrl("PUT", KEY);
    sim.advanceClock(sim.timings.credentialsTtlMs + 1000);
    const late = await fetch(url, { method: "PUT", body: "late" });
    expect(late.status).toBe(403);
    const body = await late.text();
    expect(/<Code>([^<]+)<\/Code>/.exec(body)?.[1]).toBe("AccessDenied");
    expect(body).toContain("Request has expired");
  });

  it("are signed exactly as @smithy/signature-v4 signs them", async () => {
    const nowMs = Date.UTC(2025, 10, 21, 10, 11, 12);
    const creds = { accessKey: "ASIAEXAMPLEKEY000000", secretKey: "c2VjcmV0L2tleSs9", sessionToken: "tok+en/with=chars" };
    const mine = new URL(
      presignUrl({ method: "PUT", endpoint: "http://127.0.0.1:4567", bucket: S3_BUCKET, key: KEY, region: "us-east-1", nowMs, expiresSeconds: 900, ...creds }),
    );
    const signer = new SignatureV4({
      service: "s3",
      region: "us-east-1",
      uriEscapePath: false,
      sha256: NodeSha256,
      credentials: { accessKeyId: creds.accessKey, secretAccessKey: creds.secretKey, sessionToken: creds.sessionToken },
    });
    const signed = await signer.presign(
      {
        method: "PUT",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: 4567,
        path: mine.pathname,
        query: {},
        headers: { host: "127.0.0.1:4567", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      },
      {
        signingDate: new Date(nowMs),
        expiresIn: 900,
        unsignableHeaders: new Set(["x-amz-content-sha256"]),
        unhoistableHeaders: new Set(["x-amz-content-sha256"]),
      },
    );
    expect(mine.searchParams.get("X-Amz-Signature")).toBe(signed.query?.["X-Amz-Signature"]);
  });
});

describe("URLs presigned by @aws-sdk/s3-request-presigner with issued credentials", () => {
  const sdkClient = (creds: ScopedCredentials, requestChecksumCalculation?: "WHEN_REQUIRED") =>
    new S3Client({
      endpoint: sim.s3Url,
      region: creds.region,
      forcePathStyle: true,
      requestChecksumCalculation,
      credentials: { accessKeyId: creds.accessKey, secretAccessKey: creds.secretKey, sessionToken: creds.sessionToken },
    });

  it("accept a PUT and a GET when presigned without the empty-body checksum", async () => {
    const s3 = sdkClient(sim.objects.issueCredentials(KEY, { readOnly: false }), "WHEN_REQUIRED");
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: S3_BUCKET, Key: KEY }), { expiresIn: 300 });
    expect((await fetch(putUrl, { method: "PUT", body: "abc" })).status).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: S3_BUCKET, Key: KEY }), { expiresIn: 300 });
    expect(await (await fetch(getUrl)).text()).toBe("abc");
  });

  it("refuse an upload against the CRC32 of an empty body that default SDK settings bake in (as S3 does)", async () => {
    const s3 = sdkClient(sim.objects.issueCredentials(KEY, { readOnly: false }));
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: S3_BUCKET, Key: KEY }), { expiresIn: 300 });
    expect(new URL(putUrl).searchParams.get("x-amz-checksum-crc32")).toBe("AAAAAA==");
    const res = await fetch(putUrl, { method: "PUT", body: "abc" });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("BadDigest");
  });

  it("expire after X-Amz-Expires on the simulated clock", async () => {
    const s3 = sdkClient(sim.objects.issueCredentials(KEY, { readOnly: true }));
    sim.objects.put(KEY, Buffer.from("x"));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: S3_BUCKET, Key: KEY }), { expiresIn: 60 });
    expect((await fetch(url)).status).toBe(200);
    sim.advanceClock(120_000);
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await errorCode(late)).toBe("AccessDenied");
  });

  it("refuse anonymous requests", async () => {
    const res = await fetch(`${sim.s3Url}/${S3_BUCKET}/${encodeURIComponent(KEY)}`);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("AccessDenied");
  });
});

/** node:crypto behind the Checksum interface @smithy/signature-v4 expects. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBytes(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === "string") return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
