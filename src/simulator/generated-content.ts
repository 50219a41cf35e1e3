import { createCipheriv, createHash, type Hash } from "node:crypto";
import { MAX_UPLOAD_PARTS, MULTIPART_THRESHOLD_BYTES, UPLOAD_PART_BYTES } from "./s3/assumptions.js";

/**
 * The bytes of a simulated file that nobody uploaded (every fixture FASTQ), generated from the file id and
 * the offset, never held whole: a 10 GB file costs nothing until it is read.
 *
 * Layout: the file is cut into upload parts (s3/assumptions.ts: 8 MiB, doubled past 10,000 parts). Every
 * part is a body followed by a 32-byte tail. Bodies repeat one shared pseudo-random 8 MiB block; the tail
 * of part p is a hash of p, and the tail of the last part a hash of the file id. So parts within a file
 * differ (a byte written at the wrong offset is caught), files differ in their last part, and reads hand
 * out views of the shared block plus 32 fresh bytes per part.
 *
 * Why this layout: a listing must carry every file's `objectETag`, a multipart ETag needs the MD5 of
 * every part, and a cycle lists thousands of multi-GB files. Here the MD5 of a full part does not depend
 * on the file, so the part MD5s (and the running MD5 over them) are computed once per process and shared;
 * a file's ETag costs one short MD5 of its last part. Nothing is cached per file.
 */

const BLOCK_BYTES = 8 * 1024 * 1024;
const TAIL_BYTES = 32;
/** MD5 states of the block's prefixes are kept every this many bytes: any prefix costs at most this to hash. */
const CHECKPOINT_BYTES = 512;
/** Running MD5 states over the part digests are kept every this many parts. */
const CHAIN_CHECKPOINT_PARTS = 16;
/** Reads hand out views of at most this size, so a consumer's backpressure works at a fine grain. */
const MAX_CHUNK_BYTES = 1024 * 1024;
const DIGEST_BYTES = 16;

const md5 = () => createHash("md5");
const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** The shared block and the MD5 states of its prefixes. Deterministic, read-only, built on first use. */
class Pattern {
  /** AES-256-CTR keystream under a fixed key: the same bytes in every process. */
  readonly block = createCipheriv("aes-256-ctr", Buffer.alloc(32, 7), Buffer.alloc(16, 0)).update(Buffer.alloc(BLOCK_BYTES));
  /** checkpoints[i]: MD5 state after block[0, i·CHECKPOINT_BYTES). */
  private readonly checkpoints: Hash[] = [];
  /** wholeBlocks[q]: MD5 state after q whole blocks (bodies longer than the block, parts over 8 MiB). */
  private readonly wholeBlocks: Hash[];

  constructor() {
    const running = md5();
    for (let at = 0; at < BLOCK_BYTES; at += CHECKPOINT_BYTES) {
      this.checkpoints.push(running.copy());
      running.update(this.block.subarray(at, at + CHECKPOINT_BYTES));
    }
    this.wholeBlocks = [md5(), running];
  }

  /** A fresh MD5 state after `n` body bytes (the block repeated), for the caller to go on with. */
  bodyState(n: number): Hash {
    const whole = Math.floor(n / BLOCK_BYTES);
    const rest = n % BLOCK_BYTES;
    if (whole === 0) {
      const i = Math.floor(rest / CHECKPOINT_BYTES);
      return (this.checkpoints[i] as Hash).copy().update(this.block.subarray(i * CHECKPOINT_BYTES, rest));
    }
    while (this.wholeBlocks.length <= whole) this.wholeBlocks.push((this.wholeBlocks.at(-1) as Hash).copy().update(this.block));
    return (this.wholeBlocks[whole] as Hash).copy().update(this.block.subarray(0, rest));
  }
}

let sharedPattern: Pattern | undefined;
const pattern = (): Pattern => (sharedPattern ??= new Pattern());

/** The tail of full part p (the same in every file). */
const partTail = (part: number): Buffer => sha256(`sim-part:${part}`);
/** The tail of a file's last part. */
const fileTail = (seed: string): Buffer => sha256(`sim-file:${seed}`);

/** The MD5s of full parts of one part size, and the running MD5 over them, extended on demand. */
class PartDigests {
  private readonly fullBody: Hash;
  private digests = Buffer.alloc(0);
  private count = 0;
  /** chain[k]: MD5 state after the digests of parts [0, k·CHAIN_CHECKPOINT_PARTS). */
  private readonly chain: Hash[] = [md5()];

  constructor(partBytes: number) {
    this.fullBody = pattern().bodyState(partBytes - TAIL_BYTES);
  }

  /** MD5 state after the digests of full parts [0, parts). */
  chainState(parts: number): Hash {
    this.extendTo(parts);
    const k = Math.floor(parts / CHAIN_CHECKPOINT_PARTS);
    return (this.chain[k] as Hash).copy().update(this.digests.subarray(k * CHAIN_CHECKPOINT_PARTS * DIGEST_BYTES, parts * DIGEST_BYTES));
  }

  private extendTo(parts: number): void {
    if (parts <= this.count) return;
    const grown = Buffer.alloc(Math.max(parts, this.count * 2) * DIGEST_BYTES);
    this.digests.copy(grown);
    this.digests = grown;
    for (; this.count < parts; this.count++) {
      this.fullBody.copy().update(partTail(this.count)).digest().copy(this.digests, this.count * DIGEST_BYTES);
      if ((this.count + 1) % CHAIN_CHECKPOINT_PARTS === 0) {
        const k = (this.count + 1) / CHAIN_CHECKPOINT_PARTS;
        const from = (k - 1) * CHAIN_CHECKPOINT_PARTS * DIGEST_BYTES;
        this.chain[k] = (this.chain[k - 1] as Hash).copy().update(this.digests.subarray(from, from + CHAIN_CHECKPOINT_PARTS * DIGEST_BYTES));
      }
    }
  }
}

const partDigests = new Map<number, PartDigests>();
const digestsFor = (partBytes: number): PartDigests => {
  let digests = partDigests.get(partBytes);
  if (!digests) partDigests.set(partBytes, (digests = new PartDigests(partBytes)));
  return digests;
};

/** The part size an upload of this many bytes uses: 8 MiB, doubled until the file fits in 10,000 parts. */
function partBytesFor(size: number): number {
  let partBytes = UPLOAD_PART_BYTES;
  while (Math.ceil(size / partBytes) > MAX_UPLOAD_PARTS) partBytes *= 2;
  return partBytes;
}

/** One generated file: its size, ETag and any byte range, from (seed, offset) alone. */
export class GeneratedContent {
  readonly partBytes: number;
  readonly parts: number;
  private allocated = 0;

  constructor(
    /** The ICA file id. */
    readonly seed: string,
    readonly size: number,
  ) {
    this.partBytes = partBytesFor(size);
    this.parts = Math.ceil(size / this.partBytes);
  }

  /** Bytes allocated by reads so far: only the 32-byte part tails; bodies are views of the shared block. */
  get allocatedBytes(): number {
    return this.allocated;
  }

  /** Quoted, as S3 sends it: `"<md5>"` below the multipart threshold, `"<md5 of part md5s>-<parts>"` from it. */
  get etag(): string {
    const last = this.lastPartDigest();
    if (this.size < MULTIPART_THRESHOLD_BYTES) return `"${last.toString("hex")}"`;
    const all = digestsFor(this.partBytes).chainState(this.parts - 1).update(last).digest("hex");
    return `"${all}-${this.parts}"`;
  }

  /** Bytes [start, end) as read-only views; the caller checks the bounds (0 ≤ start ≤ end ≤ size). */
  *read(start: number, end: number): Generator<Buffer> {
    const { block } = pattern();
    let at = start;
    while (at < end) {
      const part = Math.floor(at / this.partBytes);
      const partStart = part * this.partBytes;
      const partEnd = Math.min(this.size, partStart + this.partBytes);
      const bodyEnd = partStart + Math.max(0, partEnd - partStart - TAIL_BYTES);
      if (at < bodyEnd) {
        const offset = (at - partStart) % BLOCK_BYTES;
        const length = Math.min(Math.min(end, bodyEnd) - at, BLOCK_BYTES - offset, MAX_CHUNK_BYTES);
        yield block.subarray(offset, offset + length);
        at += length;
      } else {
        const tail = this.tailOf(part);
        this.allocated += tail.length;
        const stop = Math.min(end, partEnd);
        yield tail.subarray(at - bodyEnd, stop - bodyEnd);
        at = stop;
      }
    }
  }

  private tailOf(part: number): Buffer {
    return part === this.parts - 1 ? fileTail(this.seed) : partTail(part);
  }

  /** MD5 of the last part (the whole file when it has one part; of nothing when it is empty). */
  private lastPartDigest(): Buffer {
    const length = this.parts === 0 ? 0 : this.size - (this.parts - 1) * this.partBytes;
    const bodyLength = Math.max(0, length - TAIL_BYTES);
    return pattern()
      .bodyState(bodyLength)
      .update(fileTail(this.seed).subarray(0, length - bodyLength))
      .digest();
  }
}
