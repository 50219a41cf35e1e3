/** How many correlation ids are remembered: days of a busy lab's events, a few hundred kB. */
const DEFAULT_CAPACITY = 10_000;

/**
 * The correlation ids of events already turned into triggers, oldest forgotten first, so memory stays
 * bounded however long `watch` runs. A duplicate older than the memory costs one re-read, nothing worse.
 */
export class CorrelationMemory {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** True the first time an id is offered (and remembers it), false for a duplicate. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  /** A trigger that failed is forgotten, so a redelivery of the same event is acted on. */
  forget(id: string): void {
    this.ids.delete(id);
  }
}
