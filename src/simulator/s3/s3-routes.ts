import { Readable } from "node:stream";
import type { SimClock } from "../clock.js";
import type { Handler, SimRequest, SimResponse } from "../http/router.js";
import { BUCKET } from "./assumptions.js";
import { authenticate, authorize } from "./authenticate.js";
import { type Selection, selectBytes } from "./byte-range.js";
import type { CredentialRegistry } from "./credentials.js";
import type { MultipartUploads } from "./multipart.js";
import { md5Etag, type MemoryObjectStore, type ServedObject } from "./object-store.js";
import { readPayload } from "./payload.js";
import { S3Error, invalidRequest, notImplemented } from "./s3-error.js";
import { canonicalPath } from "./sigv4.js";
import { xmlChildren, xmlDocument, xmlText } from "./xml.js";

export interface S3Deps {
  store: MemoryObjectStore;
  uploads: MultipartUploads;
  credentials: CredentialRegistry;
  clock: SimClock;
  /** The S3 endpoint, for CompleteMultipartUpload's Location. */
  s3Url: () => string;
}

/** The object path as the AWS SDK models it; stats show one route per method. */
const OBJECT_PATH = "/{Bucket}/{Key+}";

type Target = { bucket: string; key: string };
type Operation = (req: SimRequest, target: Target) => SimResponse;

const XML = { "content-type": "application/xml" };

function errorXml(err: S3Error, resource: string, requestId: string): string {
  return xmlDocument("Error", { Code: err.code, Message: err.message, Resource: resource, RequestId: requestId }, false);
}

/** Request id, S3 error XML (none for HEAD, as S3 sends none). */
function toHandler(operation: Operation, newRequestId: () => string): Handler {
  return (req) => {
    const requestId = newRequestId();
    const target = { bucket: req.params.Bucket ?? "", key: req.params.Key ?? "" };
    let response: SimResponse;
    try {
      response = operation(req, target);
    } catch (err) {
      if (!(err instanceof S3Error)) throw err;
      const body = req.method === "HEAD" ? undefined : errorXml(err, `/${target.bucket}/${target.key}`, requestId);
      response = { status: err.status, headers: { ...XML, ...err.headers }, body };
    }
    return { ...response, headers: { ...response.headers, "x-amz-request-id": requestId } };
  };
}

/** Headers of a GET/HEAD answer for these bytes of `obj`; 206 adds Content-Range. */
function objectHeaders(obj: ServedObject, bytes: Selection, req: SimRequest): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": obj.contentType,
    "content-length": String(bytes.end - bytes.start),
    etag: obj.etag,
    "last-modified": new Date(obj.lastModifiedMs).toUTCString(),
    "accept-ranges": "bytes",
  };
  if (bytes.partial) headers["content-range"] = `bytes ${bytes.start}-${bytes.end - 1}/${obj.size}`;
  if (req.query.has("partNumber") && obj.partsCount !== undefined) headers["x-amz-mp-parts-count"] = String(obj.partsCount);
  if (obj.archived) headers["x-amz-storage-class"] = "DEEP_ARCHIVE";
  // The SDK validates a GetObject body against the stored checksum when it asks for it (checksum mode,
  // a header, or a query parameter in a presigned URL); S3 sends no whole-object checksum with a range.
  const mode = req.headers["x-amz-checksum-mode"] ?? req.query.get("x-amz-checksum-mode") ?? "";
  if (obj.checksum && !bytes.partial && String(mode).toUpperCase() === "ENABLED") {
    headers[`x-amz-checksum-${obj.checksum.algorithm}`] = obj.checksum.value;
  }
  return headers;
}

/** PutObject, UploadPart, GetObject, HeadObject, DeleteObject and the multipart calls lib-storage makes. */
export function s3Routes({ store, uploads, credentials, clock, s3Url }: S3Deps): { method: string; path: string; handler: Handler }[] {
  let seq = 0;
  const newRequestId = () => (++seq).toString(16).toUpperCase().padStart(16, "0");

  /** Verifies the signature, the bucket, and the credentials' reach for this key. */
  const admit = (req: SimRequest, target: Target, access: "read" | "write") => {
    const auth = authenticate(req, target, credentials, clock.now());
    if (target.bucket !== BUCKET) throw new S3Error(404, "NoSuchBucket", `The specified bucket does not exist: ${target.bucket}`);
    authorize(auth.credentials, target.key, access);
    return auth;
  };

  /** The object and the bytes the request selects (a part, a Range, or all of it). */
  const readObject = (req: SimRequest, target: Target): { obj: ServedObject; bytes: Selection } => {
    admit(req, target, "read");
    const obj = store.open(target.key);
    if (!obj) throw new S3Error(404, "NoSuchKey", "The specified key does not exist.");
    return { obj, bytes: selectBytes(req, obj) };
  };

  const put: Operation = (req, target) => {
    if (req.headers["x-amz-copy-source"] !== undefined) throw notImplemented("CopyObject / UploadPartCopy are not simulated");
    const auth = admit(req, target, "write");
    const { bytes, checksum } = readPayload(req, auth.payloadHash);
    const checksumHeader: Record<string, string> = checksum ? { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value } : {};
    const uploadId = req.query.get("uploadId");
    const partNumber = req.query.get("partNumber");
    if (uploadId !== null || partNumber !== null) {
      if (uploadId === null || partNumber === null) throw invalidRequest("UploadPart needs both ?partNumber and ?uploadId");
      const etag = uploads.putPart(uploads.find(uploadId, target.key), partNumber, bytes);
      return { status: 200, headers: { etag, ...checksumHeader } };
    }
    const contentType = String(req.headers["content-type"] ?? "binary/octet-stream");
    const obj = store.write(target.key, { bytes, etag: md5Etag(bytes), contentType, checksum });
    return { status: 200, headers: { etag: obj.etag, ...checksumHeader } };
  };

  const get: Operation = (req, target) => {
    if (req.query.has("uploadId")) throw notImplemented("ListParts is not simulated");
    const { obj, bytes } = readObject(req, target);
    if (obj.archived) throw new S3Error(403, "InvalidObjectState", "The operation is not valid for the object's storage class");
    return {
      status: bytes.partial ? 206 : 200,
      headers: objectHeaders(obj, bytes, req),
      body: Readable.from(obj.read(bytes.start, bytes.end), { objectMode: false }),
    };
  };

  const head: Operation = (req, target) => {
    const { obj, bytes } = readObject(req, target);
    return { status: bytes.partial ? 206 : 200, headers: objectHeaders(obj, bytes, req) };
  };

  const del: Operation = (req, target) => {
    admit(req, target, "write");
    const uploadId = req.query.get("uploadId");
    if (uploadId !== null) uploads.abort(uploads.find(uploadId, target.key));
    else store.delete(target.key);
    return { status: 204 };
  };

  const post: Operation = (req, target) => {
    const auth = admit(req, target, "write");
    if (req.query.has("uploads")) {
      const upload = uploads.create(target.key, String(req.headers["content-type"] ?? "binary/octet-stream"));
      const algorithm = req.headers["x-amz-checksum-algorithm"];
      return {
        status: 200,
        headers: { ...XML, ...(typeof algorithm === "string" ? { "x-amz-checksum-algorithm": algorithm } : {}) },
        body: xmlDocument("InitiateMultipartUploadResult", { Bucket: target.bucket, Key: target.key, UploadId: upload.uploadId }),
      };
    }
    const uploadId = req.query.get("uploadId");
    if (uploadId === null) throw invalidRequest("POST on an object needs ?uploads (start a multipart upload) or ?uploadId (complete one)");
    const upload = uploads.find(uploadId, target.key);
    const xml = readPayload(req, auth.payloadHash).bytes.toString("utf8");
    const parts = xmlChildren(xml, "Part").map((part) => ({
      partNumber: Number(xmlText(part, "PartNumber")),
      etag: xmlText(part, "ETag") ?? "",
    }));
    const { bytes, etag, partSizes } = uploads.complete(upload, parts);
    store.write(target.key, { bytes, etag, contentType: upload.contentType, checksum: undefined, partSizes });
    const location = `${s3Url()}${canonicalPath(target.bucket, target.key)}`;
    return {
      status: 200,
      headers: XML,
      body: xmlDocument("CompleteMultipartUploadResult", { Location: location, Bucket: target.bucket, Key: target.key, ETag: etag }),
    };
  };

  const operations: [string, Operation][] = [["PUT", put], ["GET", get], ["HEAD", head], ["DELETE", del], ["POST", post]];
  return operations.map(([method, op]) => ({ method, path: OBJECT_PATH, handler: toHandler(op, newRequestId) }));
}
