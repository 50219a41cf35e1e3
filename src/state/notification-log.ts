import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";
import type { StatePaths } from "./state-dir.js";
import { readStateFile } from "./state-file.js";

const logSchema = z.strictObject({
  version: z.literal(1),
  /** Alert key → when it was last delivered (ISO-8601). */
  sent: z.record(z.string().min(1), z.iso.datetime()),
});
type LogData = z.infer<typeof logSchema>;

/** Keys not sent again for this long are forgotten, so the file does not grow with every item ever alerted on. */
const forgetAfterMs = 30 * 86_400_000;

export const notificationLogPath = (paths: StatePaths): string => join(paths.root, "notifications.json");

/**
 * `notifications.json`: which alerts were delivered when, so that an item stuck for a week is not
 * announced every ten minutes. Losing it only means alerts are sent once more, so an unreadable
 * file is started afresh (the caller logs the returned warning) rather than stopping anything.
 */
export class NotificationLog {
  private constructor(
    readonly path: string,
    private readonly data: LogData,
  ) {}

  static async open(path: string): Promise<{ log: NotificationLog; warning?: string }> {
    const { data, problem } = await readStateFile(path, logSchema);
    return {
      log: new NotificationLog(path, data ?? { version: 1, sent: {} }),
      ...(problem ? { warning: `${path} ${problem}: starting it afresh, so alerts may repeat once` } : {}),
    };
  }

  lastSent(key: string): Date | undefined {
    const at = this.data.sent[key];
    return at === undefined ? undefined : new Date(at);
  }

  /** Whether `key` may be sent at `now`: never sent, or last sent at least `repeatMs` ago. */
  isDue(key: string, now: Date, repeatMs: number): boolean {
    const last = this.lastSent(key);
    return last === undefined || now.getTime() - last.getTime() >= repeatMs;
  }

  /** The remembered keys that start with `prefix` (e.g. one pair's error alerts, to announce their recovery). */
  keysStartingWith(prefix: string): string[] {
    return Object.keys(this.data.sent).filter((key) => key.startsWith(prefix));
  }

  /** Drops keys, e.g. of failures whose recovery was announced: if one comes back, it is news again. */
  forget(keys: Iterable<string>): void {
    for (const key of keys) delete this.data.sent[key];
  }

  markSent(keys: Iterable<string>, now: Date): void {
    for (const key of keys) this.data.sent[key] = now.toISOString();
  }

  /** Forgets old keys and writes the file atomically. */
  async save(now: Date): Promise<void> {
    for (const [key, at] of Object.entries(this.data.sent)) {
      if (now.getTime() - Date.parse(at) > forgetAfterMs) delete this.data.sent[key];
    }
    await writeFileAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
