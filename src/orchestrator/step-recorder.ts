import type { Logger } from "winston";
import type { CycleFailure, FailureFact } from "../notify/failure-fact.js";
import type { StepReport } from "./cycle-report.js";
import type { PlanItem } from "./plan/plan-types.js";
import type { WarningGate, WarningOptions } from "./warning-gate.js";

/**
 * What one step reports: counts, warnings and errors, each also logged (with the step as a field) as it
 * happens, so a cron log tells the story even if the cycle dies before its report is written. Warnings
 * go through the cycle's WarningGate (once a day while they last); those about single analyses are
 * logged as one line per kind when the step ends (finish()).
 */
export class StepRecorder {
  readonly counts: Record<string, number> = {};
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  /** Each error with what failed, when the caller said (`error(message, fact)`): alerts deduplicate on it. */
  readonly failures: CycleFailure[] = [];
  readonly logger: Logger;
  /** Warnings about single analyses by key, logged together by finish(). */
  private readonly itemWarnings = new Map<string, Array<{ message: string; analysisId: string }>>();

  constructor(
    readonly name: string,
    logger: Logger,
    private readonly gate: WarningGate,
  ) {
    this.logger = logger.child({ step: name });
  }

  count(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  /** Planned items by action (`planned archive`, `planned wait`...); what is done is counted as it is done. */
  countPlanned(items: readonly PlanItem[]): void {
    for (const item of items) this.count(`planned ${item.action}`);
  }

  warn(message: string, options: WarningOptions = {}): void {
    this.warnings.push(message);
    const { key, analysisId } = options;
    if (analysisId === undefined || key === undefined) {
      this.gate.warn(this.logger, this.name, message, { ...(key !== undefined ? { key } : {}), ...(analysisId !== undefined ? { fields: { analysisId } } : {}) });
      return;
    }
    this.logger.debug(message, { analysisId });
    this.itemWarnings.set(key, [...(this.itemWarnings.get(key) ?? []), { message, analysisId }]);
  }

  /** Logs the warnings about single analyses, one line per key. */
  finish(): void {
    for (const [key, items] of this.itemWarnings) this.gate.warnGroup(this.logger, this.name, key, items);
    this.itemWarnings.clear();
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
