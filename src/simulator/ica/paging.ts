import { createHmac, randomBytes } from "node:crypto";
import {
  DEFAULT_PAGE_SIZE,
  OFFSET_PAGING_MAX_ROWS,
  OVERSIZED_PAGE_SIZE,
  REMAINING_RECORDS_EXACT_SCAN_LIMIT,
  SORT_WITH_PAGE_TOKEN,
} from "./assumptions.js";
import { stableHex } from "./ids.js";
import { badRequest } from "./problem.js";

export interface SortKey {
  field: string;
  desc: boolean;
}

/** The paging half of a list request (notes §3): which mode, and where to start. */
export type PagingRequest =
  | { mode: "cursor"; pageSize: number; pageToken: string | undefined }
  | { mode: "offset"; pageSize: number; offset: number; sort: SortKey[] };

/**
 * Candidates of one listing in its default order. Every key is a string whose plain `<` order is the
 * default order, so a cursor is just "the key of the last row served" and resuming is a binary search.
 */
export interface CursorSource<T> {
  scan(afterKey: string | undefined): Iterable<T>;
  keyOf(item: T): string;
  /** How many candidates come after `afterKey` — the exact remainder when the listing has no filter. */
  countAfter(afterKey: string | undefined): number;
}

/** Sortable attributes (spec `sort` descriptions) → value accessor. */
export type SortFields<T> = Record<string, (item: T) => string | number | undefined>;

export interface PagedQuery<T> {
  /** Identifies the listing (route, project, filters); a pageToken only continues the listing it came from. */
  listing: string;
  source: CursorSource<T>;
  /** Filters the source's index cannot answer; absent when the source is already exact. */
  filter?: (item: T) => boolean;
  sortFields: SortFields<T>;
  /** Changes whenever the underlying data changes, so a cached offset result is never stale. */
  version: number;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
  remainingRecords?: number;
  totalItemCount?: number;
}

const digits = /^\d+$/;
const sortTerm = /^([A-Za-z]+)(?:\s+(asc|desc))?$/i;

function parseSort(value: string): SortKey[] {
  return value.split(",").map((raw) => {
    const m = sortTerm.exec(raw.trim());
    if (!m?.[1]) throw badRequest(`sort term "${raw.trim()}" is not "<field>", "<field> asc" or "<field> desc"`, { sort: value });
    return { field: m[1], desc: m[2]?.toLowerCase() === "desc" };
  });
}

function parsePageSize(value: string | null, maxPageSize: number): number {
  if (value === null) return Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  const size = digits.test(value) ? Number(value) : NaN;
  if (!(size >= 1)) throw badRequest(`pageSize must be a positive integer, got "${value}"`, { pageSize: value });
  if (size <= maxPageSize) return size;
  if (OVERSIZED_PAGE_SIZE === "clamp") return maxPageSize;
  throw badRequest(`pageSize ${size} exceeds the maximum of ${maxPageSize}`, { pageSize: value });
}

/**
 * Reads pageSize/pageToken/pageOffset/sort. Mode: pageToken → cursor, pageOffset → offset, else `sort`
 * decides (present → offset) [DOC-API].
 */
export function parsePaging(query: URLSearchParams, maxPageSize: number): PagingRequest {
  const pageSize = parsePageSize(query.get("pageSize"), maxPageSize);
  const pageToken = query.get("pageToken") || undefined;
  const pageOffset = query.get("pageOffset");
  const sort = query.get("sort") ? parseSort(query.get("sort") as string) : undefined;
  if (pageToken !== undefined && pageOffset !== null) {
    throw badRequest("send either pageToken (cursor paging) or pageOffset (offset paging), not both");
  }
  if (pageToken !== undefined) {
    if (sort && SORT_WITH_PAGE_TOKEN === "reject") throw badRequest("sort only works with offset paging; drop pageToken or sort");
    return { mode: "cursor", pageSize, pageToken };
  }
  if (pageOffset !== null) {
    if (!digits.test(pageOffset)) throw badRequest(`pageOffset must be a non-negative integer, got "${pageOffset}"`);
    return { mode: "offset", pageSize, offset: Number(pageOffset), sort: sort ?? [] };
  }
  return sort ? { mode: "offset", pageSize, offset: 0, sort } : { mode: "cursor", pageSize, pageToken: undefined };
}

function compareValues(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

const offsetCacheSize = 8;

/**
 * One per simulator: signs cursor tokens (opaque, tamper-evident, bound to their listing) and keeps the
 * last few fully materialised offset listings so that paging through a sorted listing costs one sort.
 */
export class Pager {
  private readonly secret = randomBytes(16);
  private readonly offsetCache = new Map<string, unknown[]>();

  page<T>(request: PagingRequest, query: PagedQuery<T>): Page<T> {
    return request.mode === "cursor" ? this.cursorPage(request, query) : this.offsetPage(request, query);
  }

  private cursorPage<T>(request: Extract<PagingRequest, { mode: "cursor" }>, query: PagedQuery<T>): Page<T> {
    const listing = stableHex(query.listing);
    const after = request.pageToken === undefined ? undefined : this.decodeToken(request.pageToken, listing);
    const items: T[] = [];
    let more = false;
    for (const item of query.source.scan(after)) {
      if (query.filter && !query.filter(item)) continue;
      if (items.length === request.pageSize) {
        more = true;
        break;
      }
      items.push(item);
    }
    const last = items[items.length - 1];
    if (!more || last === undefined) return { items, nextPageToken: "", remainingRecords: 0 };
    const lastKey = query.source.keyOf(last);
    return { items, nextPageToken: this.encodeToken(listing, lastKey), remainingRecords: this.remaining(query, lastKey) };
  }

  private remaining<T>(query: PagedQuery<T>, afterKey: string): number {
    const candidates = query.source.countAfter(afterKey);
    const filter = query.filter;
    if (!filter || candidates > REMAINING_RECORDS_EXACT_SCAN_LIMIT) return candidates;
    let count = 0;
    for (const item of query.source.scan(afterKey)) if (filter(item)) count++;
    return count;
  }

  private offsetPage<T>(request: Extract<PagingRequest, { mode: "offset" }>, query: PagedQuery<T>): Page<T> {
    if (request.offset >= OFFSET_PAGING_MAX_ROWS) {
      throw badRequest(`offset paging stops at ${OFFSET_PAGING_MAX_ROWS} rows; use cursor paging (pageToken) instead`);
    }
    for (const key of request.sort) {
      if (!Object.hasOwn(query.sortFields, key.field)) {
        const supported = Object.keys(query.sortFields);
        throw badRequest(
          `cannot sort on "${key.field}"; ${supported.length ? `sortable fields: ${supported.join(", ")}` : "this listing cannot be sorted"}`,
          { sort: key.field },
        );
      }
    }
    const all = this.materialise(request.sort, query);
    const items = all.slice(request.offset, request.offset + request.pageSize);
    return { items, nextPageToken: "", totalItemCount: all.length };
  }

  private materialise<T>(sort: SortKey[], query: PagedQuery<T>): T[] {
    const cacheKey = `${query.listing}\u0000${JSON.stringify(sort)}\u0000${query.version}`;
    const cached = this.offsetCache.get(cacheKey) as T[] | undefined;
    if (cached) {
      this.offsetCache.delete(cacheKey);
      this.offsetCache.set(cacheKey, cached);
      return cached;
    }
    const all: T[] = [];
    for (const item of query.source.scan(undefined)) if (!query.filter || query.filter(item)) all.push(item);
    if (sort.length > 0) {
      const accessors = sort.map((k) => ({ get: query.sortFields[k.field] as (t: T) => string | number | undefined, sign: k.desc ? -1 : 1 }));
      // Array#sort is stable, so ties keep the default order and offset pages stay repeatable.
      all.sort((a, b) => {
        for (const { get, sign } of accessors) {
          const c = compareValues(get(a), get(b));
          if (c !== 0) return c * sign;
        }
        return 0;
      });
    }
    this.offsetCache.set(cacheKey, all);
    if (this.offsetCache.size > offsetCacheSize) this.offsetCache.delete(this.offsetCache.keys().next().value as string);
    return all;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url").slice(0, 16);
  }

  private encodeToken(listing: string, key: string): string {
    const payload = Buffer.from(JSON.stringify({ l: listing, k: key })).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  private decodeToken(token: string, listing: string): string {
    const [payload = "", signature] = token.split(".");
    const invalid = badRequest("pageToken is not a token this listing issued; start again without pageToken", {
      pageToken: "invalid",
    });
    if (signature !== this.sign(payload)) throw invalid;
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { l?: unknown; k?: unknown };
    if (decoded.l !== listing || typeof decoded.k !== "string") throw invalid;
    return decoded.k;
  }
}

/** A cursor source over a small collection (projects, analyses, batch items), ordered by `keyOf`. */
export function arraySource<T>(items: readonly T[], keyOf: (item: T) => string): CursorSource<T> {
  const rows = items.map((item) => ({ key: keyOf(item), item })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const startAfter = (afterKey: string | undefined): number => {
    if (afterKey === undefined) return 0;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rows[mid] as { key: string }).key <= afterKey) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    scan: (afterKey) => rows.slice(startAfter(afterKey)).map((r) => r.item),
    keyOf,
    countAfter: (afterKey) => rows.length - startAfter(afterKey),
  };
}
