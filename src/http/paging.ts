import pLimit from "p-limit";
import { InvalidResponseError } from "./errors.js";
import type { Endpoint } from "./response-schema.js";

export interface CursorPage<T> {
  items: readonly T[];
  nextPageToken?: string | null;
}

/**
 * Items of a cursor-paged listing, fetched one page at a time as the caller iterates. Ends on an empty
 * or null token (never on `remainingRecords`, which ICA documents as an estimate). An empty page with a
 * token moves on. A token seen before would loop forever, so it is an invalid response.
 */
export async function* cursorItems<T>(
  endpoint: Endpoint,
  fetchPage: (pageToken: string | undefined) => Promise<CursorPage<T>>,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    yield* page.items;
    const next = page.nextPageToken;
    if (!next) return;
    if (seen.has(next)) {
      throw new InvalidResponseError({
        ...endpoint,
        status: 200,
        attempts: 1,
        fieldPath: "nextPageToken",
        problem: "repeats a token already followed (the listing would never end)",
      });
    }
    seen.add(next);
    token = next;
  }
}

export interface OffsetPage<T> {
  items: readonly T[];
  /** Total number of matching items, when the API says (ICA `totalItemCount`, BaseSpace `TotalCount`). */
  totalCount?: number;
}

/**
 * Items of an offset-paged listing. Ends when the total is reached or a page comes back empty; when the
 * API gives no total, a page shorter than `pageSize` is the last one. (BaseSpace may return fewer items
 * than asked before the end, which is why its listings rely on TotalCount.)
 */
export async function* offsetItems<T>(
  fetchPage: (offset: number) => Promise<OffsetPage<T>>,
  opts: { pageSize: number; maxOffset?: number; onMaxOffset?: () => Error },
): AsyncGenerator<T, void, undefined> {
  let offset = 0;
  for (;;) {
    if (opts.maxOffset !== undefined && offset >= opts.maxOffset && opts.onMaxOffset) throw opts.onMaxOffset();
    const page = await fetchPage(offset);
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0) return;
    if (page.totalCount !== undefined) {
      if (offset >= page.totalCount) return;
    } else if (page.items.length < opts.pageSize) {
      return;
    }
  }
}

/**
 * Every item of an offset-paged listing, with the pages fetched side by side: the first page tells the
 * total, the others are then requested `pagesInFlight` at a time, so a listing of n pages waits about
 * 1 + n / pagesInFlight round trips instead of n. Items come back in listing order.
 * Whatever the side-by-side pages do not cover — a page shorter than asked before the end, items
 * added meanwhile, a listing without a total — is read on one page at a time, as `offsetItems` does.
 */
export async function allOffsetItems<T>(
  fetchPage: (offset: number) => Promise<OffsetPage<T>>,
  opts: { pageSize: number; pagesInFlight: number },
): Promise<T[]> {
  const first = await fetchPage(0);
  const items = [...first.items];
  let total = first.totalCount;
  if (total !== undefined && first.items.length === opts.pageSize) {
    const offsets: number[] = [];
    for (let offset = opts.pageSize; offset < total; offset += opts.pageSize) offsets.push(offset);
    // Each page in flight is a raw answer, its text and its parsed JSON at once: few enough to keep
    // memory flat, enough to keep the round trips overlapping.
    const limit = pLimit(opts.pagesInFlight);
    const pages = await Promise.all(offsets.map((offset) => limit(() => fetchPage(offset))));
    for (const page of pages) {
      items.push(...page.items);
      total = Math.max(total, page.totalCount ?? 0);
      // A short page before the end leaves a gap after it: the rest is read in order from here.
      if (page.items.length < opts.pageSize) break;
    }
  }
  const complete = total === undefined ? first.items.length < opts.pageSize : items.length >= total;
  if (complete) return items;
  const read = items.length;
  const rest = async (offset: number): Promise<OffsetPage<T>> => {
    const page = await fetchPage(read + offset);
    return { items: page.items, ...(page.totalCount === undefined ? {} : { totalCount: page.totalCount - read }) };
  };
  for await (const item of offsetItems(rest, opts)) items.push(item);
  return items;
}
