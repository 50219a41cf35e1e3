import { createHash } from "node:crypto";
import { MIN_PART_BYTES } from "./assumptions.js";
import { md5Etag } from "./object-store.js";
import { randomText, URL_SAFE_CHARS } from "./random-text.js";
import { S3Error, invalidArgument } from "./s3-error.js";

export interface MultipartUpload {
  uploadId: string;
  key: string;
  contentType: string;
  parts: Map<number, { bytes: Buffer; etag: string }>;
}

export interface PartRef {
  partNumber: number;
  etag: string;
}

const MAX_PART_NUMBER = 10_000;
const unquote = (etag: string) => etag.replace(/^"|"$/g, "");

/** Multipart uploads in progress and S3's rules for completing them. */
export class MultipartUploads {
  private readonly uploads = new Map<string, MultipartUpload>();

  constructor(private readonly random: () => number) {}

  create(key: string, contentType: string): MultipartUpload {
    const upload = { uploadId: randomText(this.random, URL_SAFE_CHARS, 64), key, contentType, parts: new Map() };
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  /** The upload with this id for this key; 404 NoSuchUpload otherwise (also after complete/abort). */
  find(uploadId: string, key: string): MultipartUpload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    }
    return upload;
  }

  putPart(upload: MultipartUpload, partNumberText: string, bytes: Buffer): string {
    const partNumber = Number(partNumberText);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
    }
    const etag = md5Etag(bytes);
    upload.parts.set(partNumber, { bytes, etag });
    return etag;
  }

  /** Joins the named parts; the ETag is the MD5 of the parts' binary MD5s, then `-<count>`. */
  complete(upload: MultipartUpload, requested: PartRef[]): { bytes: Buffer; etag: string; partSizes: number[] } {
    if (requested.length === 0) throw new S3Error(400, "MalformedXML", "The XML you provided did not list any <Part>.");
    const chosen = requested.map((ref, i) => {
      const prev = requested[i - 1];
      if (prev && ref.partNumber <= prev.partNumber) {
        throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
      }
      const part = upload.parts.get(ref.partNumber);
      if (!part || unquote(part.etag) !== unquote(ref.etag)) {
        throw new S3Error(400, "InvalidPart", `Part ${ref.partNumber} was not uploaded or its ETag does not match.`);
      }
      if (i < requested.length - 1 && part.bytes.length < MIN_PART_BYTES) {
        throw new S3Error(400, "EntityTooSmall", `Part ${ref.partNumber} is ${part.bytes.length} bytes; every part but the last must be at least ${MIN_PART_BYTES} bytes.`);
      }
      return part;
    });
    const digests = Buffer.concat(chosen.map((p) => Buffer.from(unquote(p.etag), "hex")));
    this.uploads.delete(upload.uploadId);
    return {
      bytes: Buffer.concat(chosen.map((p) => p.bytes)),
      partSizes: chosen.map((p) => p.bytes.length),
      etag: `"${createHash("md5").update(digests).digest("hex")}-${chosen.length}"`,
    };
  }

  abort(upload: MultipartUpload): void {
    this.uploads.delete(upload.uploadId);
  }

  /** Keys of uploads in progress, sorted (upload ids are left out: they are random). */
  inProgress(): string[] {
    return [...this.uploads.values()].map((u) => u.key).sort();
  }
}
