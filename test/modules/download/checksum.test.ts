import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseChecksum, partSizeCandidates, verifyChecksum, verifyPartDigests } from "../../../src/modules/data-transfer/download/checksum.js";
import { MultipartUploads } from "../../../src/simulator/s3/multipart.js";
import { tempDir } from "../../cli/helpers.js";

const MiB = 1024 * 1024;

/** Deterministic bytes repeating every 1,000,003 (a prime): a part boundary in the wrong place changes the ETag. */
const pattern = (() => {
  const out = Buffer.alloc(1_000_003);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
})();
const bytesOf = (size: number): Buffer => Buffer.alloc(size, pattern);

/** The simulator's own S3 multipart completion: an ETag computed independently of the code under test. */
function s3MultipartEtag(bytes: Buffer, partSize: number): string {
  const uploads = new MultipartUploads(() => 0.5);
  const upload = uploads.create("key", "application/octet-stream");
  const parts = [];
  for (let offset = 0, number = 1; offset < bytes.length; offset += partSize, number++) {
    parts.push({ partNumber: number, etag: uploads.putPart(upload, String(number), bytes.subarray(offset, offset + partSize)) });
  }
  return uploads.complete(upload, parts).etag;
}

describe("parseChecksum", () => {
  it("tells an MD5 from a multipart ETag, quoted or not, and says why anything else cannot be checked", () => {
    const md5 = "0123456789abcdef0123456789ABCDEF";
    expect(parseChecksum(`"${md5}"`)).toEqual({ kind: "md5", hex: md5.toLowerCase() });
    expect(parseChecksum(`${md5}-12`)).toEqual({ kind: "multipart", hex: md5.toLowerCase(), parts: 12 });
    expect(parseChecksum("")).toMatchObject({ kind: "none", why: expect.stringContaining("no checksum") });
    expect(parseChecksum("sha256:abc")).toMatchObject({ kind: "none", why: expect.stringContaining("neither an MD5") });
  });
});

describe("partSizeCandidates", () => {
  it("finds the one whole-MiB part size of a large file's part count, the usual 8 MiB first when it fits", () => {
    const size = 10 * 1000 * MiB + 17;
    expect(partSizeCandidates(size, Math.ceil(size / (8 * MiB)))).toEqual([8 * MiB]);
    expect(partSizeCandidates(size, Math.ceil(size / (37 * MiB)))).toEqual([37 * MiB]);
  });

  it("lists every size that gives the part count, and none when no size can", () => {
    const two = partSizeCandidates(20 * MiB, 2);
    expect(two[0]).toBe(16 * MiB);
    expect(two).toContain(10 * MiB);
    expect(two.every((partSize) => Math.ceil((20 * MiB) / partSize) === 2)).toBe(true);
    expect(partSizeCandidates(10, 20)).toEqual([]);
  });
});

describe("verifyChecksum", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir("checksum-")));
  afterEach(() => dir.cleanup());

  it("recomputes an S3 multipart ETag with the part size derived from the size and part count", async () => {
    const bytes = bytesOf(11 * MiB + 5);
    const path = join(dir.path, "f");
    await writeFile(path, bytes);
    for (const partSize of [8 * MiB, 5 * MiB]) {
      const etag = s3MultipartEtag(bytes, partSize);
      expect(await verifyChecksum(path, bytes.length, parseChecksum(etag))).toEqual({
        ok: true,
        method: `S3 multipart ETag (${etag.split("-")[1]?.replace('"', "")} parts of ${partSize / MiB} MiB)`,
      });
    }
  });

  it("detects one changed byte, under a multipart ETag and under an MD5", async () => {
    const bytes = bytesOf(9 * MiB);
    const etag = s3MultipartEtag(bytes, 8 * MiB);
    const md5 = createHash("md5").update(bytes).digest("hex");
    bytes[5 * MiB] = (bytes[5 * MiB] ?? 0) ^ 1;
    const path = join(dir.path, "f");
    await writeFile(path, bytes);
    expect(await verifyChecksum(path, bytes.length, parseChecksum(etag))).toMatchObject({ ok: false, why: expect.stringContaining("the bytes differ") });
    expect(await verifyChecksum(path, bytes.length, parseChecksum(md5))).toMatchObject({ ok: false, why: expect.stringContaining("MD5") });
  });

  it("checks a plain MD5, also of an empty file, and a one-part multipart ETag", async () => {
    const path = join(dir.path, "f");
    await writeFile(path, "");
    expect(await verifyChecksum(path, 0, parseChecksum(createHash("md5").digest("hex")))).toEqual({ ok: true, method: "MD5" });
    const bytes = bytesOf(1000);
    await writeFile(path, bytes);
    expect(await verifyChecksum(path, 1000, parseChecksum(s3MultipartEtag(bytes, 8 * MiB)))).toMatchObject({ ok: true });
  });

  it("says when only the size could be checked", async () => {
    const path = join(dir.path, "f");
    await writeFile(path, "abc");
    expect(await verifyChecksum(path, 3, parseChecksum(null))).toEqual({ ok: true, method: "size only (ICA gives no checksum for it)" });
  });
});

describe("verifyPartDigests", () => {
  const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest();
  const partDigests = (bytes: Buffer, partSize: number) =>
    Array.from({ length: Math.ceil(bytes.length / partSize) }, (_, n) => md5(bytes.subarray(n * partSize, (n + 1) * partSize)));

  it("verifies a multipart ETag or an MD5 from the digests of the parts as they streamed in", () => {
    const bytes = bytesOf(11 * MiB + 5);
    const etag = parseChecksum(s3MultipartEtag(bytes, 8 * MiB));
    expect(verifyPartDigests(bytes.length, 8 * MiB, partDigests(bytes, 8 * MiB), etag)).toEqual({ ok: true, method: "S3 multipart ETag (2 parts of 8 MiB)" });
    const small = bytesOf(1000);
    expect(verifyPartDigests(1000, 8 * MiB, partDigests(small, 8 * MiB), parseChecksum(md5(small).toString("hex")))).toEqual({ ok: true, method: "MD5" });
  });

  it("leaves the file to be read back when a part came from an earlier run, the upload used other parts, or the bytes differ", () => {
    const bytes = bytesOf(11 * MiB + 5);
    const digests = partDigests(bytes, 8 * MiB);
    const etag = parseChecksum(s3MultipartEtag(bytes, 8 * MiB));
    expect(verifyPartDigests(bytes.length, 8 * MiB, [digests[0], undefined], etag)).toBeUndefined();
    expect(verifyPartDigests(bytes.length, 8 * MiB, digests, parseChecksum(s3MultipartEtag(bytes, 5 * MiB)))).toBeUndefined();
    const changed = Buffer.from(bytes);
    changed[9 * MiB] = (changed[9 * MiB] ?? 0) ^ 1;
    expect(verifyPartDigests(bytes.length, 8 * MiB, partDigests(changed, 8 * MiB), etag)).toBeUndefined();
  });
});
