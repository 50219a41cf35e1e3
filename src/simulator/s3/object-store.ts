import { createHash } from "node:crypto";
import type { ObjectStore, ScopedCredentials, SimContext } from "../context.js";
import { BUCKET, MAX_PRESIGN_SECONDS, PUT_NOTIFIES_LISTENERS, REGION } from "./assumptions.js";
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
}

export const md5Etag = (bytes: Buffer) => `"${createHash("md5").update(bytes).digest("hex")}"`;

/** The bucket's objects in memory, plus what ICA needs: credentials, presigned URLs, write notifications. */
export class MemoryObjectStore implements ObjectStore {
  readonly bucket = BUCKET;
  readonly region = REGION;
  private readonly objects = new Map<string, StoredObject>();
  private readonly listeners: ((key: string, size: number) => void)[] = [];

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

  stat(key: string): StoredObject | undefined {
    return this.objects.get(key);
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
