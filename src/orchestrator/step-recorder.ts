import type { Logger } from "winston";
import type { CycleFailure, FailureFact } from "../notify/failure-fact.js";
import type { StepReport } from "./cycle-report.js";
import type { PlanItem } from "./plan/plan-types.js";

/**
 * What one step reports: counts, warnings and errors, each also logged under the step's scope as it
 * happens, so a cron log tells the story even if the cycle dies before its report is written.
 */
export class StepRecorder {
  readonly counts: Record<string, number> = {};
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  /** Each error with what failed, when the caller said (`error(message, fact)`): alerts deduplicate on it. */
  readonly failures: CycleFailure[] = [];
  readonly logger: Logger;

  constructor(
    readonly name: string,
    logger: Logger,
  ) {
    this.logger = logger.child({ scope: name });
  }

  count(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  /** Planned items by action (`planned archive`, `planned wait`...); what is done is counted as it is done. */
  countPlanned(items: readonly PlanItem[]): void {
    for (const item of items) this.count(`planned ${item.action}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.logger.warn(message);
  }

  /** `fact` (see failureFactOf): what failed, so that the alert's repeat key ignores request ids and counts in the message. */
  error(message: string, fact?: FailureFact): void {
    this.recordError(message, fact);
    this.logger.error(message);
  }

  /** An error that ends the command: in the report (and its alert), not logged here — the CLI says it once. */
  recordError(message: string, fact?: FailureFact): void {
    this.errors.push(message);
    this.failures.push({ message, ...fact });
  }

  toReport(): StepReport {
    return { name: this.name, counts: { ...this.counts }, warnings: [...this.warnings], errors: [...this.errors] };
  }
}

/** The one-line message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
