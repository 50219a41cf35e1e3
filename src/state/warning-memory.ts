import { z } from "zod";
import { writeFileFenced, type Fence } from "./fenced-write.js";
import { readStateFile } from "./state-file.js";

const memorySchema = z.strictObject({
  version: z.literal(1),
  /** Warning key → what it said (its fingerprint) and when it was last logged. */
  warnings: z.record(
    z.string().min(1),
    z.strictObject({ fingerprint: z.string(), loggedAt: z.iso.datetime() }),
  ),
});
type MemoryData = z.infer<typeof memorySchema>;

/**
 * A warning that goes on is logged again after this long, so a daily look at the log still sees it.
 * @internal exported for the tests
 */
export const warningRepeatMs = 86_400_000;

/**
 * `warnings.json`: which warnings were logged when, so that one that repeats every cycle is logged
 * once a day (and again when it changes), not 144 times. Each cycle remembers the warnings of its own
 * pair (keys start with the pair) and forgets those of its pair it no longer saw: a warning that goes
 * away and comes back is news. Losing the file only means each warning is logged once more, so an
 * unreadable one is started afresh (the caller logs the returned problem).
 */
export class WarningMemory {
  private readonly seen = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly data: MemoryData,
  ) {}

  static async open(path: string): Promise<{ memory: WarningMemory; problem?: string }> {
    const { data, problem } = await readStateFile(path, memorySchema);
    return {
      memory: new WarningMemory(path, data ?? { version: 1, warnings: {} }),
      ...(problem ? { problem: `${path} ${problem}: starting it afresh, so each warning is logged once more` } : {}),
    };
  }

  /**
   * Whether to log the warning `key` now: never logged, logged with another fingerprint (it changed),
   * or last logged at least a day before `now`. Remembers it as logged when it says yes.
   */
  shouldLog(key: string, fingerprint: string, now: Date): boolean {
    this.seen.add(key);
    const last = this.data.warnings[key];
    const due = last === undefined || last.fingerprint !== fingerprint || now.getTime() - Date.parse(last.loggedAt) >= warningRepeatMs;
    if (due) this.data.warnings[key] = { fingerprint, loggedAt: now.toISOString() };
    return due;
  }

  /** Forgets the warnings under `prefix` (one pair's) this cycle did not see, then writes the file (fenced). */
  async save(prefix: string, fence: Fence): Promise<void> {
    for (const key of Object.keys(this.data.warnings)) {
      if (key.startsWith(prefix) && !this.seen.has(key)) delete this.data.warnings[key];
    }
    await writeFileFenced(this.path, `${JSON.stringify(this.data, null, 2)}\n`, fence);
  }
}
