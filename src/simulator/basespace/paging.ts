import type { SimAssumptions } from "../assumption-switches.js";
import { DEFAULT_LIMIT } from "./assumptions.js";
import { badRequest } from "./bs-error.js";
import { countParam, queryParam } from "./query.js";

type SortDir = "Asc" | "Desc";

export interface PageRequest<S extends string> {
  offset: number;
  limit: number;
  sortBy: S;
  sortDir: SortDir;
  /** False when `bs.sort-date-created` is `ignored`: the sort asked for is echoed, but items come in ascending id order. */
  honourSort: boolean;
}

/** The largest `Limit` honoured (`bs.page-limit`): 1024 per the search API reference, else 100. */
const SMALL_PAGE_LIMIT = 100;

/** The counts every list carries: v2 `Paging`, and the same fields inline in a v1pre3 ResourceList. */
export interface Paging<S extends string> {
  DisplayedCount: number;
  TotalCount: number;
  Offset: number;
  Limit: number;
  SortDir: SortDir;
  SortBy: S;
}

/**
 * Reads Offset/Limit/SortBy/SortDir in any case; `SortBy` must be one of the resource's swagger enum.
 * How large a page may be and whether the sort is honoured are switches (`bs.page-limit`, `bs.sort-date-created`).
 */
export function parsePaging<S extends string>(
  query: URLSearchParams,
  sortFields: readonly S[],
  defaultSortBy: S,
  assumptions: SimAssumptions,
): PageRequest<S> {
  const offset = countParam(query, "Offset", 0);
  const asked = countParam(query, "Limit", DEFAULT_LIMIT);
  if (assumptions.is("bs.page-limit", "rejected") && asked > SMALL_PAGE_LIMIT) {
    throw badRequest(`Limit must be between 0 and ${SMALL_PAGE_LIMIT}, got ${asked}`);
  }
  const limit = Math.min(asked, assumptions.is("bs.page-limit", "accepted") ? 1024 : SMALL_PAGE_LIMIT);
  const rawSortBy = queryParam(query, "SortBy");
  let sortBy = defaultSortBy;
  if (rawSortBy !== undefined && rawSortBy !== "") {
    const match = sortFields.find((f) => f.toLowerCase() === rawSortBy.toLowerCase());
    if (!match) throw badRequest(`SortBy '${rawSortBy}' is not one of ${sortFields.join(", ")}`);
    sortBy = match;
  }
  const rawDir = (queryParam(query, "SortDir") ?? "Asc").toLowerCase();
  if (rawDir !== "asc" && rawDir !== "desc") throw badRequest(`SortDir must be Asc or Desc, got '${rawDir}'`);
  const honourSort = assumptions.is("bs.sort-date-created", "honoured");
  return { offset, limit, sortBy, sortDir: rawDir === "asc" ? "Asc" : "Desc", honourSort };
}

/**
 * Sorts by the requested field (ties broken by `idOf` so pages never overlap) and cuts one page.
 * `sortKey` maps an item and a sort field to a comparable value.
 */
export function pageOf<T, S extends string>(
  items: readonly T[],
  req: PageRequest<S>,
  sortKey: (item: T, sortBy: S) => string | number,
  idOf: (item: T) => string,
): { page: T[]; paging: Paging<S> } {
  const dir = req.sortDir === "Asc" || !req.honourSort ? 1 : -1;
  const order = req.honourSort
    ? (a: T, b: T) => compare(sortKey(a, req.sortBy), sortKey(b, req.sortBy)) || compare(idOf(a), idOf(b))
    : (a: T, b: T) => compare(idSortKey(idOf(a)), idSortKey(idOf(b)));
  const sorted = [...items].sort((a, b) => dir * order(a, b));
  const page = sorted.slice(req.offset, req.offset + req.limit);
  return {
    page,
    paging: {
      DisplayedCount: page.length,
      TotalCount: sorted.length,
      Offset: req.offset,
      Limit: req.limit,
      SortDir: req.sortDir,
      SortBy: req.sortBy,
    },
  };
}

/** Numeric ids (`"9"`, `"10"`) sort as numbers, as BaseSpace's integer ids do. */
export function idSortKey(id: string): string | number {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  // Code-point order, not locale order, so a page boundary never depends on the machine's locale.
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** v2 list body: `{Items, Paging}`. */
export function v2List<S extends string>(items: unknown[], paging: Paging<S>): { Items: unknown[]; Paging: Paging<S> } {
  return { Items: items, Paging: paging };
}

/** v1pre3 ResourceList: the paging counts sit beside `Items` ([PYSDK] ResourceList.py). */
export function v1pre3List<S extends string>(items: unknown[], paging: Paging<S>): { Items: unknown[] } & Paging<S> {
  return { Items: items, ...paging };
}
