import { createHash, type Hash } from "node:crypto";
import { open } from "node:fs/promises";

/**
 * What a file's checksum from ICA (`objectETag`, or the manifest's `checksum` column) lets us check.
 * S3 gives a single-part upload the MD5 of its bytes as ETag, and a multipart upload
 * `md5(md5(part 1) ‖ … ‖ md5(part N))-N`; the part size is recorded nowhere (notes §objectETag), so it
 * is derived from the file size and N.
 */
export type ExpectedChecksum = { kind: "md5"; hex: string } | { kind: "multipart"; hex: string; parts: number } | { kind: "none"; why: string };

/** `"<32 hex>"` or `<32 hex>-<N>`, quoted or not, any case; anything else cannot be checked. */
export function parseChecksum(text: string | null | undefined): ExpectedChecksum {
  const value = (text ?? "").trim().replace(/^"|"$/g, "").toLowerCase();
  if (value === "") return { kind: "none", why: "ICA gives no checksum for it" };
  const match = /^([0-9a-f]{32})(?:-(\d+))?$/.exec(value);
  if (!match) return { kind: "none", why: `its checksum "${value}" is neither an MD5 nor an S3 multipart ETag` };
  const [, hex = "", parts] = match;
  return parts === undefined ? { kind: "md5", hex } : { kind: "multipart", hex, parts: Number(parts) };
}

const MiB = 1024 * 1024;
/** Part sizes uploaders use: the AWS CLI's 8 MiB and its doublings, then the common round ones. */
const usualPartSizes = [8, 16, 5, 32, 64, 10, 100, 128, 256, 512, 15, 25, 50].map((n) => n * MiB);

/**
 * Part sizes that split `size` bytes into exactly `parts` parts (every part but the last full),
 * the usual ones first, then any other whole MiB, then any whole MB. Few sizes qualify for a large
 * file (with 8 MiB parts, only one whole MiB fits); small part counts leave several, which the
 * verification tries in turn.
 * @internal exported for the tests
 */
export function partSizeCandidates(size: number, parts: number): number[] {
  if (parts < 1 || size < parts) return [];
  if (parts === 1) return [Math.max(size, 1)];
  const low = Math.ceil(size / parts);
  const high = Math.floor((size - 1) / (parts - 1));
  const fits = (partSize: number) => partSize >= low && partSize <= high;
  const found = usualPartSizes.filter(fits);
  for (const unit of [MiB, 1_000_000]) {
    for (let n = Math.ceil(low / unit); n * unit <= high && found.length < 8; n++) {
      if (!found.includes(n * unit)) found.push(n * unit);
    }
  }
  return found;
}

/** One layout's running MD5s: the current part's and those of the parts already done. */
class LayoutHasher {
  private part: Hash = createHash("md5");
  private inPart = 0;
  private readonly digests: Buffer[] = [];

  constructor(readonly partSize: number) {}

  update(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.partSize - this.inPart, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.inPart += take;
      offset += take;
      if (this.inPart === this.partSize) this.closePart();
    }
  }

  /** The MD5 of each part (one, of no bytes, for an empty file). */
  finish(): Buffer[] {
    if (this.inPart > 0 || this.digests.length === 0) this.closePart();
    return this.digests;
  }

  private closePart(): void {
    this.digests.push(this.part.digest());
    this.part = createHash("md5");
    this.inPart = 0;
  }
}

/** The part MD5s each part size gives the file at `path`, from one read of it. */
async function partDigestsOf(path: string, partSizes: readonly number[]): Promise<Map<number, Buffer[]>> {
  const hashers = partSizes.map((size) => new LayoutHasher(size));
  // One buffer read into again and again: a multi-GB file allocates nothing per read.
  const buffer = Buffer.allocUnsafe(MiB);
  const handle = await open(path, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      for (const hasher of hashers) hasher.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return new Map(hashers.map((hasher) => [hasher.partSize, hasher.finish()]));
}

/** What S3 makes of part MD5s on completing a multipart upload. */
const multipartEtag = (digests: readonly Buffer[]): string =>
  `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${digests.length}`;

export type Verification = { ok: true; method: string } | { ok: false; why: string };

const sizeText = (bytes: number): string => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`);

/**
 * Checks `expected` against the MD5 of each part as it was streamed to disk, when those parts are the
 * file's upload parts (or the file is one part) and every one was fetched by this run. Undefined when
 * they cannot decide it or do not match: the file is then read back (`verifyChecksum`), which also
 * tries the other part sizes.
 */
export function verifyPartDigests(size: number, partSize: number, digests: readonly (Buffer | undefined)[], expected: ExpectedChecksum): Verification | undefined {
  const known = digests.filter((digest): digest is Buffer => digest !== undefined);
  if (known.length !== digests.length || known.length === 0) return undefined;
  if (expected.kind === "md5" && known.length === 1) return known[0]?.toString("hex") === expected.hex ? { ok: true, method: "MD5" } : undefined;
  if (expected.kind !== "multipart" || known.length !== expected.parts || size <= partSize) return undefined;
  return multipartEtag(known) === `${expected.hex}-${expected.parts}` ? { ok: true, method: `S3 multipart ETag (${expected.parts} parts of ${sizeText(partSize)})` } : undefined;
}

/**
 * Checks the bytes at `path` against `expected` (the size is checked by the caller): the MD5, or the
 * multipart ETag under each part size that fits. Says which check passed, or why none did.
 */
export async function verifyChecksum(path: string, size: number, expected: ExpectedChecksum): Promise<Verification> {
  if (expected.kind === "none") return { ok: true, method: `size only (${expected.why})` };
  if (expected.kind === "md5") {
    const [digests] = (await partDigestsOf(path, [Math.max(size, 1)])).values();
    const actual = digests?.[0]?.toString("hex");
    return actual === expected.hex ? { ok: true, method: "MD5" } : { ok: false, why: `MD5 ${actual ?? "?"} differs from ICA's ${expected.hex}` };
  }
  const candidates = partSizeCandidates(size, expected.parts);
  if (candidates.length === 0) {
    return { ok: true, method: `size only (no part size splits ${size} bytes into the ${expected.parts} parts of its ETag)` };
  }
  const wanted = `${expected.hex}-${expected.parts}`;
  // The likeliest size alone first (one MD5 of the file); the others together only if it fails.
  for (const group of [candidates.slice(0, 1), candidates.slice(1)].filter((sizes) => sizes.length > 0)) {
    for (const [partSize, digests] of await partDigestsOf(path, group)) {
      if (multipartEtag(digests) === wanted) return { ok: true, method: `S3 multipart ETag (${expected.parts} parts of ${sizeText(partSize)})` };
    }
  }
  return { ok: false, why: `no part size (tried ${candidates.map(sizeText).join(", ")}) gives ICA's ETag ${wanted}: the bytes differ` };
}
