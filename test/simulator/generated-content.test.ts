import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GeneratedContent } from "../../src/simulator/generated-content.js";

const MiB = 1024 * 1024;

const collect = (content: GeneratedContent, start: number, end: number): Buffer => Buffer.concat([...content.read(start, end)]);

/** The ETag S3 would give these bytes uploaded in parts of `partBytes` (plain MD5 below 8 MiB). */
function recomputedEtag(content: GeneratedContent): string {
  const whole = createHash("md5");
  const partDigests: Buffer[] = [];
  for (let start = 0; start < content.size; start += content.partBytes) {
    const part = createHash("md5");
    for (const chunk of content.read(start, Math.min(content.size, start + content.partBytes))) {
      part.update(chunk);
      whole.update(chunk);
    }
    partDigests.push(part.digest());
  }
  if (content.size < 8 * MiB) return `"${whole.digest("hex")}"`;
  return `"${createHash("md5").update(Buffer.concat(partDigests)).digest("hex")}-${partDigests.length}"`;
}

describe("generated file content", () => {
  it.each([0, 1, 31, 33, 4_812, 8 * MiB - 1, 8 * MiB, 8 * MiB + 20, 3 * 8 * MiB + 100, 5 * 8 * MiB + 5])(
    "has the ETag S3 computes from its bytes (%i bytes)",
    (size) => {
      const content = new GeneratedContent("fil.0123456789abcdef", size);
      expect(collect(content, 0, size)).toHaveLength(size);
      expect(content.etag).toBe(recomputedEtag(content));
    },
  );

  it("is plain MD5 below 8 MiB and multipart from 8 MiB on", () => {
    expect(new GeneratedContent("fil.a", 8 * MiB - 1).etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(new GeneratedContent("fil.a", 8 * MiB).etag).toMatch(/^"[0-9a-f]{32}-1"$/);
    expect(new GeneratedContent("fil.a", 10_000_000_000).etag).toMatch(/^"[0-9a-f]{32}-1193"$/);
  });

  it("doubles the part size past 10,000 parts, as s3transfer does", () => {
    expect(new GeneratedContent("fil.big", 10_000 * 8 * MiB).partBytes).toBe(8 * MiB);
    const big = new GeneratedContent("fil.big", 10_000 * 8 * MiB + 1);
    expect(big.partBytes).toBe(16 * MiB);
    expect(big.parts).toBe(5_001);
    expect(big.etag).toMatch(/-5001"$/);
  });

  it("gives any range as the same slice of the full read", () => {
    const size = 2 * 8 * MiB + 1_000;
    const content = new GeneratedContent("fil.range", size);
    const full = collect(content, 0, size);
    for (const [start, end] of [[0, 1], [8 * MiB - 40, 8 * MiB + 40], [size - 32, size], [12_345, 9 * MiB], [5, 5]] as const) {
      expect(collect(content, start, end).equals(full.subarray(start, end))).toBe(true);
    }
  });

  it("is deterministic per file id, and differs between files and between parts", () => {
    const size = 2 * 8 * MiB;
    const a = new GeneratedContent("fil.a", size);
    expect(collect(a, 0, size).equals(collect(new GeneratedContent("fil.a", size), 0, size))).toBe(true);
    expect(a.etag).not.toBe(new GeneratedContent("fil.b", size).etag);
    expect(collect(a, 0, 8 * MiB).equals(collect(a, 8 * MiB, size))).toBe(false);
  });

  it("streams a 10 GB file without allocating its size: bodies are views of one shared block", () => {
    const size = 10_000_000_000;
    const content = new GeneratedContent("fil.huge", size);
    let bytes = 0;
    let largestChunk = 0;
    const shared = new Set<ArrayBufferLike>();
    // The last 200 MiB: 25 parts, read chunk by chunk as a response stream would.
    for (const chunk of content.read(size - 200 * MiB, size)) {
      bytes += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
      if (chunk.length > 32) shared.add(chunk.buffer);
    }
    expect(bytes).toBe(200 * MiB);
    expect(largestChunk).toBeLessThanOrEqual(MiB);
    expect(shared.size).toBe(1);
    expect(content.allocatedBytes).toBeLessThanOrEqual(26 * 32);
  });
});
