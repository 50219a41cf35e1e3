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
