import type { SimRequest } from "../http/router.js";
import type { ServedObject } from "./object-store.js";
import { S3Error, invalidArgument, invalidRequest } from "./s3-error.js";

/** The bytes a GET or HEAD answers with: [start, end), and whether that is less than the whole object. */
export interface Selection {
  start: number;
  end: number;
  partial: boolean;
}

const unsatisfiable = (size: number) =>
  new S3Error(416, "InvalidRange", "The requested range is not satisfiable", { "content-range": `bytes */${size}` });

/**
 * A `Range: bytes=…` header, as S3 reads it: one range (`a-b`, `a-`, `-n`), the end clamped to the size; a
 * range starting past the end is 416; a header S3 cannot read (another unit, several ranges) is ignored.
 */
function fromRangeHeader(header: string, size: number): Selection | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable(size);
    return { start: Math.max(0, size - suffix), end: size, partial: true };
  }
  const start = Number(m[1]);
  if (m[2] !== "" && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable(size);
  const last = m[2] === "" ? size - 1 : Number(m[2]);
  return { start, end: Math.min(size, last + 1), partial: true };
}

/** `?partNumber=n`: the bytes of that upload part (S3 answers 206 for it, even for a one-part object). */
function fromPartNumber(text: string, obj: ServedObject): Selection {
  const partNumber = Number(text);
  if (!/^\d+$/.test(text) || partNumber < 1 || partNumber > 10_000) throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  const range = obj.partRange(partNumber);
  if (!range) throw unsatisfiable(obj.size);
  return { ...range, partial: range.end > range.start };
}

/** Which bytes of `obj` this request asks for: a part, a range, or the whole object. */
export function selectBytes(req: SimRequest, obj: ServedObject): Selection {
  const partNumber = req.query.get("partNumber");
  const range = req.headers.range;
  if (partNumber !== null && range !== undefined) throw invalidRequest("Cannot specify both Range header and partNumber query parameter");
  if (partNumber !== null) return fromPartNumber(partNumber, obj);
  return (range !== undefined ? fromRangeHeader(range, obj.size) : undefined) ?? { start: 0, end: obj.size, partial: false };
}
