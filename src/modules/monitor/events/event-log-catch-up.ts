import type { IcaClient } from "../../../ica/client.js";
import { readEventLogPosition, writeEventLogPosition } from "../../../state/index.js";
import type { DeliveryTrigger } from "../delivery-triggers.js";

const ANALYSIS_STATUS_CHANGED = "ICA_EXEC_028";

type EventLogPosition = NonNullable<Awaited<ReturnType<typeof readEventLogPosition>>["position"]>;

export interface CatchUpDeps {
  ica: Pick<IcaClient, "searchEventLog">;
  /** `event-log-position.json` in the state directory. */
  positionFile: string;
  warn(message: string): void;
  now?: () => Date;
}

/**
 * Reads ICA's event log from the last position after a start or a gap in event delivery, so a missed
 * event is made up for before live events are trusted again. An entry names no analysis (EventLogV4
 * has no field for it), so what was missed becomes one "event-log" trigger that asks the fast path to
 * look for anything new; the position moves on only once that look is settled "handled".
 */
export class EventLogCatchUp {
  private readonly now: () => Date;

  constructor(private readonly deps: CatchUpDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The trigger for what the log holds past the position, or undefined when nothing is new. */
  async read(): Promise<DeliveryTrigger | undefined> {
    const { position, warning } = await readEventLogPosition(this.deps.positionFile);
    if (warning) this.deps.warn(warning);
    if (!position) {
      // Never read before: the first poll looks at everything, so the log only matters from now on.
      await writeEventLogPosition(this.deps.positionFile, { version: 1, after: this.now().toISOString(), seenAt: [] });
      return undefined;
    }
    try {
      return await this.readFrom(position);
    } catch (error) {
      // The log cannot be read (ICA down?): look for anything new instead, and read the log next time.
      this.deps.warn(`cannot read ICA's event log (${error instanceof Error ? error.message : String(error)}); looking for new analyses instead`);
      return { source: "event-log", analysisIds: [], settle: async () => undefined };
    }
  }

  private async readFrom(position: EventLogPosition): Promise<DeliveryTrigger | undefined> {
    const seen = new Set(position.seenAt);
    let fresh = 0;
    let latestMs = Date.parse(position.after);
    let atLatest = [...position.seenAt];
    let lastId = "";
    // Only counts and the newest entries are kept: a week of outage is thousands of entries.
    for await (const entry of this.deps.ica.searchEventLog({ code: ANALYSIS_STATUS_CHANGED, dateFrom: position.after })) {
      if (seen.has(entry.id)) continue;
      fresh++;
      lastId = entry.id;
      const ms = Date.parse(entry.timeCreated);
      if (ms > latestMs) {
        latestMs = ms;
        atLatest = [entry.id];
      } else if (ms === latestMs) atLatest.push(entry.id);
    }
    if (fresh === 0) return undefined;
    const next: EventLogPosition = { version: 1, after: new Date(latestMs).toISOString(), seenAt: atLatest.slice(-1_000) };
    return {
      source: "event-log",
      analysisIds: [],
      correlationId: `event-log:${lastId}`,
      occurredAt: new Date(latestMs),
      settle: async (outcome) => {
        if (outcome === "handled") await writeEventLogPosition(this.deps.positionFile, next);
      },
    };
  }
}
