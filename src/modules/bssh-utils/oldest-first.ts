export interface OldestFirstOptions<T> {
  /** Items the lifecycle may act on; the first one that is not ends the listing, if the order holds. */
  isAged(item: T): boolean;
  /** The listing's page size: reading past the first young item stops at the end of its page, before the next fetch. */
  pageSize: number;
  /** Called once when an item is older than the one before it (ledger `bs.sort-date-created`). */
  onOutOfOrder(evidence: string): void;
  /** False once the order was seen broken before (the ledger stands contradicted): no early stop, no check. */
  orderTrusted?: boolean;
}

/**
 * The aged items of a listing asked for oldest first. Reading stops at the first young item — but only
 * while the listing shows it is in that order: the rest of that item's page (already fetched) is checked,
 * and an item older than the one before it anywhere means the service did not sort (the early stop would
 * skip aged items silently), so the whole listing is read and every aged item yielded. Costs no request
 * when the order holds.
 */
export async function* agedOldestFirst<T extends { id: string; createdAtMs: number }>(
  items: AsyncIterable<T>,
  options: OldestFirstOptions<T>,
): AsyncGenerator<T> {
  const iterator = items[Symbol.asyncIterator]();
  let read = 0;
  let previous: T | undefined;
  let youngSeen = false;
  let ordered = options.orderTrusted ?? true;
  try {
    for (;;) {
      if (youngSeen && ordered && read % options.pageSize === 0) return;
      const next = await iterator.next();
      if (next.done) return;
      const item = next.value;
      read += 1;
      if (ordered && previous !== undefined && item.createdAtMs < previous.createdAtMs) {
        ordered = false;
        options.onOutOfOrder(
          `asked for oldest first, ${item.id} (${new Date(item.createdAtMs).toISOString()}) came after ${previous.id} ` +
            `(${new Date(previous.createdAtMs).toISOString()}); the whole listing is read instead of stopping early`,
        );
      }
      previous = item;
      if (options.isAged(item)) yield item;
      else youngSeen = true;
    }
  } finally {
    await iterator.return?.();
  }
}
