import type { DataItem } from "./data-item.js";

/** Orders by lower-cased path, then id — the same order as the string `dataKey`. */
function compareItems(a: DataItem, b: DataItem): number {
  if (a.lowerPath !== b.lowerPath) return a.lowerPath < b.lowerPath ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A half-open range of positions in one index. */
export interface IndexRange {
  lo: number;
  hi: number;
}

/**
 * Data items kept sorted by (lower-cased path, id), so a path-prefix listing is one contiguous range
 * found by binary search and a cursor resumes in O(log n) — what keeps a 1M-file project pageable.
 */
export class SortedDataIndex {
  private items: DataItem[] = [];
  private sorted = true;

  get size(): number {
    return this.items.length;
  }

  at(position: number): DataItem | undefined {
    return this.items[position];
  }

  /** Appends without ordering (fixture loading); `sort()` must follow before any lookup. */
  append(item: DataItem): void {
    this.items.push(item);
    this.sorted = false;
  }

  sort(): void {
    // slice() also drops the spare capacity that push() left behind (it adds up over 100k folders).
    if (!this.sorted) this.items = this.items.sort(compareItems).slice();
    this.sorted = true;
  }

  insert(item: DataItem): void {
    this.items.splice(this.firstIndex((x) => compareItems(x, item) >= 0), 0, item);
  }

  remove(item: DataItem): void {
    const i = this.firstIndex((x) => compareItems(x, item) >= 0);
    if (this.items[i] === item) this.items.splice(i, 1);
  }

  /** Removes many at once in one pass (a folder delete), instead of one splice per item. */
  removeAll(doomed: ReadonlySet<DataItem>): void {
    this.items = this.items.filter((x) => !doomed.has(x));
  }

  /** Position of the first item whose key is greater than `afterKey` (`lowerPath\0id`). */
  positionAfter(afterKey: string): number {
    const cut = afterKey.lastIndexOf("\u0000");
    const path = afterKey.slice(0, cut);
    const id = afterKey.slice(cut + 1);
    return this.firstIndex((x) => x.lowerPath > path || (x.lowerPath === path && x.id > id));
  }

  /** Items whose lower-cased path starts with `lowerPrefix`. */
  prefixRange(lowerPrefix: string): IndexRange {
    return {
      lo: this.firstIndex((x) => x.lowerPath >= lowerPrefix),
      hi: this.firstIndex((x) => x.lowerPath > lowerPrefix && !x.lowerPath.startsWith(lowerPrefix)),
    };
  }

  /** Items whose lower-cased path equals `lowerPath` (case variants of one path). */
  exactRange(lowerPath: string): IndexRange {
    return { lo: this.firstIndex((x) => x.lowerPath >= lowerPath), hi: this.firstIndex((x) => x.lowerPath > lowerPath) };
  }

  *iterate(lo: number, hi: number): Generator<DataItem> {
    for (let i = lo; i < hi; i++) yield this.items[i] as DataItem;
  }

  all(): readonly DataItem[] {
    return this.items;
  }

  /** Binary search for the first position where the monotone predicate turns true. */
  private firstIndex(isAtOrAfter: (item: DataItem) => boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrAfter(this.items[mid] as DataItem)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
