import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { VERIFIED_CHECKSUMS } from "./assumptions.js";
import { S3Error, invalidRequest } from "./s3-error.js";

type ChecksumAlgorithm = (typeof VERIFIED_CHECKSUMS)[number];

/** A flexible checksum as S3 stores it: the algorithm and the base64 of the big-endian digest. */
export interface Checksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli); node:zlib only has the IEEE polynomial. */
function crc32c(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC32C_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function uint32Base64(n: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out.toString("base64");
}

function computeChecksum(algorithm: ChecksumAlgorithm, bytes: Buffer): string {
  switch (algorithm) {
    case "crc32":
      return uint32Base64(crc32(bytes));
    case "crc32c":
      return uint32Base64(crc32c(bytes));
    case "sha1":
    case "sha256":
      return createHash(algorithm).update(bytes).digest("base64");
  }
}

/** Every flexible checksum S3 knows; `x-amz-checksum-mode|type|algorithm` share the prefix but are not checksums. */
const S3_CHECKSUMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

/** `x-amz-checksum-crc32` → "crc32", for a header or trailer name that carries a checksum value. */
export function checksumAlgorithmOf(headerName: string): string | undefined {
  const suffix = /^x-amz-checksum-([a-z0-9]+)$/.exec(headerName.toLowerCase())?.[1];
  return suffix !== undefined && S3_CHECKSUMS.includes(suffix) ? suffix : undefined;
}

/**
 * Checks every `x-amz-checksum-*` value (headers, or the aws-chunked trailer) and Content-MD5 against the
 * decoded bytes; returns the flexible checksum to store with the object, if any.
 */
export function verifyChecksums(bytes: Buffer, values: Record<string, string>, contentMd5: string | undefined): Checksum | undefined {
  if (contentMd5 !== undefined && createHash("md5").update(bytes).digest("base64") !== contentMd5) {
    throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
  }
  let stored: Checksum | undefined;
  for (const [name, value] of Object.entries(values)) {
    const algorithm = checksumAlgorithmOf(name);
    if (algorithm === undefined) continue;
    if (!(VERIFIED_CHECKSUMS as readonly string[]).includes(algorithm)) {
      throw invalidRequest(`the simulator cannot verify ${algorithm.toUpperCase()} checksums; use one of ${VERIFIED_CHECKSUMS.join(", ").toUpperCase()}`);
    }
    const known = algorithm as ChecksumAlgorithm;
    if (computeChecksum(known, bytes) !== value) {
      throw new S3Error(400, "BadDigest", `The ${known.toUpperCase()} you specified did not match the calculated checksum.`);
    }
    stored = { algorithm: known, value };
  }
  return stored;
}
