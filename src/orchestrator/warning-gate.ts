import { createHash } from "node:crypto";
import type { Logger } from "winston";
import type { WarningMemory } from "../state/index.js";

/** How a step's warning is told apart from others across cycles, and what it is about. */
export interface WarningOptions {
  /**
   * What the warning is, the same every cycle (no counts, ids or names): "no MGI FASTQ matching
   * fastq_pattern: held". By default the message with its numbers and ids blanked.
   */
  key?: string;
  /**
   * The analysis it is about. With a key, such warnings are logged as one line per key when the step
   * ends (how many, where the list is); each one goes to the cycle report and, at debug level, to the log.
   */
  analysisId?: string;
}

/** A line about many analyses carries the first 20 ids as its `ids` field; the report has them all. */
export const idsField = (ids: readonly string[]): { ids: string[] } => ({ ids: ids.slice(0, 20) });

/** The message as a stable key: what differs from cycle to cycle (ids, counts) blanked, length bounded. */
function defaultKey(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<id>")
    .replace(/\d+/g, "#")
    .slice(0, 160);
}

/**
 * Decides which warnings reach the log at warn level: one that repeats every cycle once a day and
 * again when it changes (WarningMemory, per pair), the rest at debug level. Without a memory (a dry
 * run, which writes nothing into the state directory) every warning is logged.
 */
export class WarningGate {
  constructor(
    private readonly memory: WarningMemory | undefined,
    /** Prefix of this pair's keys in the memory. */
    private readonly pairKey: string,
    private readonly now: Date,
    /** Where the cycle's lists end up: "reports/<cycle>.json", or the plan in a dry run. */
    readonly reportHint: string,
  ) {}

  /** Logs one warning (`fingerprint` says when it changed; by default its key). */
  warn(logger: Logger, step: string, message: string, options: { key?: string; fingerprint?: string; fields?: object } = {}): void {
    const key = `${this.pairKey}|${step}|${options.key ?? defaultKey(message)}`;
    const due = this.memory?.shouldLog(key, options.fingerprint ?? key, this.now) ?? true;
    if (due) logger.warn(message, options.fields);
    else logger.debug(`repeated (logged once a day): ${message}`, options.fields);
  }

  /**
   * The warnings of one key about analyses: one line saying how many and where the list is (their
   * names are long and their details longer). Logged again when the set of analyses changes.
   */
  warnGroup(logger: Logger, step: string, key: string, items: ReadonlyArray<{ message: string; analysisId: string }>): void {
    const ids = items.map((item) => item.analysisId);
    const count = items.length === 1 ? "1 analysis" : `${items.length} analyses`;
    // A digest of the set: thousands of held analyses would otherwise make warnings.json megabytes.
    const fingerprint = createHash("sha256").update([...ids].sort().join(",")).digest("hex").slice(0, 32);
    this.warn(logger, step, `${key}: ${count}, see ${this.reportHint}`, { key, fingerprint, fields: idsField(ids) });
  }

  /** Writes the memory (not in a dry run); a failure only means warnings are logged once more. */
  async save(fence: () => void, logger: Logger): Promise<void> {
    if (!this.memory) return;
    try {
      await this.memory.save(`${this.pairKey}|`, fence);
    } catch (error) {
      logger.warn(`cannot write ${this.memory.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): warnings may be logged again next cycle`);
    }
  }
}
