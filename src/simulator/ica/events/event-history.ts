import type { ProjectEntry } from "../directory.js";
import { stableUuid } from "../ids.js";

/** One entry of the tenant's event log (`EventLogV4`, spec L22037), with what delivery needs beside it. */
export interface EventEntry {
  id: string;
  seq: number;
  timeCreatedMs: number;
  project: ProjectEntry;
  code: string;
  description: string;
  category: "ERROR" | "WARN" | "INFO";
}

/**
 * Every event the simulator emitted, in order: what `eventLog:search` answers from. An event is recorded
 * whether or not any delivery of it arrived — ICA's event log is not its notification channel.
 */
export class EventHistory {
  private readonly entries: EventEntry[] = [];

  add(fields: Omit<EventEntry, "id" | "seq">): EventEntry {
    const seq = this.entries.length;
    const entry = { id: stableUuid("event", String(seq), fields.code, fields.project.id), seq, ...fields };
    this.entries.push(entry);
    return entry;
  }

  /** The tenant's entries, oldest first. */
  of(tenantId: string): EventEntry[] {
    return this.entries.filter((e) => e.project.tenantId === tenantId);
  }

  count(): number {
    return this.entries.length;
  }
}

export function toEventLog(entry: EventEntry): Record<string, unknown> {
  return {
    id: entry.id,
    timeCreated: new Date(entry.timeCreatedMs).toISOString(),
    owner: { id: entry.project.ownerId },
    tenant: { id: entry.project.tenantUuid, name: entry.project.tenantName },
    code: entry.code,
    description: entry.description,
    eventTypeCategory: entry.category,
  };
}
