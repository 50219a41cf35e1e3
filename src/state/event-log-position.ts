import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";
import type { StatePaths } from "./state-dir.js";
import { readStateFile } from "./state-file.js";

const positionSchema = z.strictObject({
  version: z.literal(1),
  /** The newest event-log entry read (ISO-8601): the next read starts here (`dateFrom` is inclusive). */
  after: z.iso.datetime({ offset: true }),
  /** Ids of the entries read at exactly `after`, so the next read does not count them again. */
  seenAt: z.array(z.string()).max(1_000),
});
type EventLogPosition = z.infer<typeof positionSchema>;

export const eventLogPositionPath = (paths: StatePaths): string => join(paths.root, "event-log-position.json");

/**
 * `event-log-position.json`: how far `watch` has read ICA's event log, so that after a restart or a gap
 * in event delivery it reads only what it may have missed. Losing it only means one read from now on
 * (the poll is the backstop), so an unreadable file is reported and started afresh.
 */
export async function readEventLogPosition(path: string): Promise<{ position?: EventLogPosition; warning?: string }> {
  const { data, problem } = await readStateFile(path, positionSchema);
  return { ...(data ? { position: data } : {}), ...(problem ? { warning: `${path} ${problem}: reading the event log from now on` } : {}) };
}

export async function writeEventLogPosition(path: string, position: EventLogPosition): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(position)}\n`);
}
