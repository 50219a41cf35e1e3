import { createHash } from "node:crypto";
import type { GeneratedSource, ObjectStore, ScopedCredentials, SimContext } from "../context.js";
import { GeneratedContent } from "../generated-content.js";
import { BUCKET, MAX_PRESIGN_SECONDS, MULTIPART_THRESHOLD_BYTES, PUT_NOTIFIES_LISTENERS, REGION } from "./assumptions.js";
import type { Checksum } from "./checksums.js";
import type { CredentialRegistry } from "./credentials.js";
import { presignUrl } from "./sigv4.js";

export interface StoredObject {
  bytes: Buffer;
  /** Quoted, as S3 sends it: `"<md5 hex>"`, or `"<md5 of part md5s>-<parts>"` after a multipart upload. */
  etag: string;
  contentType: string;
  lastModifiedMs: number;
  checksum: Checksum | undefined;
  /** Part sizes of a multipart upload, in order; undefined for a single PUT. */
  partSizes?: number[];
}

/** What GetObject and HeadObject serve: a stored object or a generated one, read by range. */
export interface ServedObject {
  size: number;
  etag: string;
  contentType: string;
  lastModifiedMs: number;
  checksum: Checksum | undefined;
  /** In (or on its way in or out of) the archive: readable by HEAD only. */
  archived: boolean;
  /** How many parts it was uploaded in; undefined when it was not a multipart upload. */
  partsCount: number | undefined;
  /** Bytes [start, end) of part n (1-based), for `?partNumber=`; undefined past the last part. */
  partRange(partNumber: number): { start: number; end: number } | undefined;
  /** Bytes [start, end), in chunks. */
  read(start: number, end: number): Iterable<Buffer>;
}

function storedView(obj: StoredObject): ServedObject {
  const sizes = obj.partSizes ?? [obj.bytes.length];
  return {
    size: obj.bytes.length,
    etag: obj.etag,
    contentType: obj.contentType,
    lastModifiedMs: obj.lastModifiedMs,
    checksum: obj.checksum,
    archived: false,
    partsCount: obj.partSizes?.length,
    partRange(partNumber) {
      if (partNumber > sizes.length) return undefined;
      const start = sizes.slice(0, partNumber - 1).reduce((sum, n) => sum + n, 0);
      return { start, end: start + (sizes[partNumber - 1] as number) };
    },
    read: (start, end) => [obj.bytes.subarray(start, end)],
  };
}

function generatedView(source: GeneratedSource): ServedObject {
  const content = new GeneratedContent(source.seed, source.sizeBytes);
  const multipart = source.sizeBytes >= MULTIPART_THRESHOLD_BYTES;
  return {
    size: content.size,
    etag: content.etag,
    contentType: "application/octet-stream",
    lastModifiedMs: source.lastModifiedMs,
    checksum: undefined,
    archived: source.archived,
    partsCount: multipart ? content.parts : undefined,
    partRange(partNumber) {
      const parts = Math.max(1, content.parts);
      if (partNumber > parts) return undefined;
      const start = (partNumber - 1) * content.partBytes;
      return { start, end: Math.min(content.size, start + content.partBytes) };
    },
    read: (start, end) => content.read(start, end),
  };
}

export const md5Etag = (bytes: Buffer) => `"${createHash("md5").update(bytes).digest("hex")}"`;

/** The bucket's objects in memory, plus what ICA needs: credentials, presigned URLs, write notifications. */
export class MemoryObjectStore implements ObjectStore {
  readonly bucket = BUCKET;
  readonly region = REGION;
  private readonly objects = new Map<string, StoredObject>();
  private readonly listeners: ((key: string, size: number) => void)[] = [];
  private generated: (key: string) => GeneratedSource | undefined = () => undefined;

  constructor(
    private readonly ctx: Pick<SimContext, "clock" | "timings" | "urls">,
    readonly credentials: CredentialRegistry,
  ) {}

  issueCredentials(objectPrefix: string, opts: { readOnly: boolean }): ScopedCredentials {
    return this.credentials.issue(objectPrefix, opts);
  }

  /** Signed with credentials of its own that cover just this key (read-only for GET). */
  presignedUrl(method: "PUT" | "GET", key: string): string {
    const credentials = this.credentials.issue(key, { readOnly: method === "GET" });
    return presignUrl({
      method,
      endpoint: this.ctx.urls().s3Url,
      bucket: this.bucket,
      key,
      region: this.region,
      accessKey: credentials.accessKey,
      secretKey: credentials.secretKey,
      sessionToken: credentials.sessionToken,
      nowMs: this.ctx.clock.now(),
      expiresSeconds: Math.max(1, Math.min(MAX_PRESIGN_SECONDS, Math.floor(this.ctx.timings.credentialsTtlMs / 1000))),
    });
  }

  put(key: string, bytes: Buffer): void {
    this.save(key, { bytes, etag: md5Etag(bytes), contentType: "application/octet-stream", checksum: undefined }, PUT_NOTIFIES_LISTENERS);
  }

  get(key: string): Buffer | undefined {
    return this.objects.get(key)?.bytes;
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  onWrite(listener: (key: string, size: number) => void): void {
    this.listeners.push(listener);
  }

  /** A client's completed upload (PutObject, presigned PUT, CompleteMultipartUpload): listeners hear of it. */
  write(key: string, object: Omit<StoredObject, "lastModifiedMs">): StoredObject {
    return this.save(key, object, true);
  }

  etagOf(key: string): string | undefined {
    return this.objects.get(key)?.etag;
  }

  serveGenerated(resolve: (key: string) => GeneratedSource | undefined): void {
    this.generated = resolve;
  }

  /** The object GET/HEAD serve for this key: stored bytes first, else generated content, else none. */
  open(key: string): ServedObject | undefined {
    const stored = this.objects.get(key);
    if (stored) return storedView(stored);
    const source = this.generated(key);
    return source ? generatedView(source) : undefined;
  }

  /** Every object, keys in code-point order. */
  list(): { key: string; object: StoredObject }[] {
    return [...this.objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, object]) => ({ key, object }));
  }

  private save(key: string, object: Omit<StoredObject, "lastModifiedMs">, notify: boolean): StoredObject {
    const stored = { ...object, lastModifiedMs: this.ctx.clock.now() };
    this.objects.set(key, stored);
    if (notify) for (const listener of this.listeners) listener(key, stored.bytes.length);
    return stored;
  }
}
