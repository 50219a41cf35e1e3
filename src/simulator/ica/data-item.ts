import type { icaDataStatuses } from "../fixtures/format.js";

export type DataStatus = (typeof icaDataStatuses)[number];
export type DataType = "FILE" | "FOLDER";

/**
 * One file or folder, owned by exactly one project. Projects it is linked into share this object, so a
 * status change in the owning project shows everywhere, as linked data does in ICA.
 */
export interface DataItem {
  readonly id: string;
  readonly owningProjectId: string;
  /** Full path including the name; folders end with `/` (notes §6, [WRAPICA]). */
  readonly path: string;
  /** `path` lower-cased: the index order and the case-insensitive path filters use it. */
  readonly lowerPath: string;
  readonly name: string;
  readonly dataType: DataType;
  status: DataStatus;
  sizeBytes: number | undefined;
  readonly formatCode: string | undefined;
  readonly timeCreatedMs: number;
  timeModifiedMs: number;
  statusChangedMs: number;
  readonly creatorId: string | undefined;
  /** Bytes exist in the object store (fixture content or an upload), so the snapshot hashes them. */
  hasContent: boolean;
}

/** The index key: plain string order of keys is the default listing order (path case-insensitively, then id). */
export const dataKey = (item: DataItem): string => `${item.lowerPath}\u0000${item.id}`;

/** `/a/b/c.txt` → `/a/b/`, `/a/b/` → `/a/`, `/x` → `/`. */
export function parentPathOf(path: string): string {
  const end = path.endsWith("/") ? path.length - 1 : path.length;
  return path.slice(0, path.lastIndexOf("/", end - 1) + 1);
}

/** The S3 object key behind a data item: `<owningProjectId><path>`. */
export const objectKeyOf = (item: DataItem): string => `${item.owningProjectId}${item.path}`;

/** Lower-cased path that reuses the original string when nothing changes (most fixture paths). */
export function lowerPathOf(path: string): string {
  const lower = path.toLowerCase();
  return lower === path ? path : lower;
}
