import { type DataItem, dataKey } from "./data-item.js";
import type { CursorSource } from "./paging.js";
import type { IndexRange, SortedDataIndex } from "./sorted-data-index.js";

/**
 * A cursor source over disjoint, ascending ranges of one sorted index: resuming after a key is a binary
 * search, and the remainder is arithmetic — no work beyond the page served.
 */
export function rangeSource(index: SortedDataIndex, ranges: readonly IndexRange[]): CursorSource<DataItem> {
  const start = (afterKey: string | undefined): number => (afterKey === undefined ? 0 : index.positionAfter(afterKey));
  return {
    *scan(afterKey) {
      const from = start(afterKey);
      for (const { lo, hi } of ranges) yield* index.iterate(Math.max(lo, from), hi);
    },
    keyOf: dataKey,
    countAfter(afterKey) {
      const from = start(afterKey);
      return ranges.reduce((sum, { lo, hi }) => sum + Math.max(0, hi - Math.max(lo, from)), 0);
    },
  };
}

/** Merges possibly overlapping ranges (nested filePath prefixes) into disjoint ascending ones. */
export function mergeRanges(ranges: readonly IndexRange[]): IndexRange[] {
  const merged: IndexRange[] = [];
  for (const range of [...ranges].filter((r) => r.hi > r.lo).sort((a, b) => a.lo - b.lo)) {
    const last = merged[merged.length - 1];
    if (last && range.lo <= last.hi) last.hi = Math.max(last.hi, range.hi);
    else merged.push({ ...range });
  }
  return merged;
}

/** The whole index as one range. */
export const wholeIndex = (index: SortedDataIndex): IndexRange[] => [{ lo: 0, hi: index.size }];
