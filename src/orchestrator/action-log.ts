import { LockCompromisedError, type AuditLog, type AuditRecord, type StateLock } from "../state/index.js";
import type { ActionRecord } from "./cycle-report.js";
import type { JournalWriter } from "./journal-writer.js";
import { messageOf } from "./step-recorder.js";

export interface ActionTarget {
  action: string;
  ids: readonly string[];
  paths?: readonly string[];
}

/**
 * How much of the mutating calls the report lists: the first calls, each with its first targets. A
 * first cycle on a large account makes tens of thousands of calls and links hundreds of thousands of
 * files; listing them all kept every path in memory until the end. The audit log has every call with
 * all of its targets, and the report counts them all (actionTotals).
 */
const reportedCalls = 1_000;
const reportedTargets = 100;

/** The state directory could not be written: the cycle makes no further irreversible call. */
class StateWriteError extends Error {
  override name = "StateWriteError";
}

/**
 * The only way the cycle makes a mutating call. Write-ahead: it checks the state lock is still held
 * (its fencing token), that every journal save so far succeeded, and appends an `intent` line to the
 * audit log (fsynced) — only then makes the call, and appends the outcome (ok or failed) to the audit
 * log and the cycle report. The steps record their own intents in the journal (a restore asked for,
 * an item trashed, a requeue attempt) and save it before calling. Once a state write fails or the
 * lock is lost, every later call is refused: the cycle makes no irreversible call it cannot record.
 * A dry run has no ActionLog at all, so a stray mutation in a dry run fails loudly instead of happening.
 */
export class ActionLog {
  /** The calls the report lists: the first `reportedCalls`, each with at most `reportedTargets` targets. */
  readonly records: ActionRecord[] = [];
  /** Every call, counted. */
  readonly totals = { calls: 0, failed: 0 };
  /** Targets of every call by action, ok or failed (the deletion cap counts what was attempted). */
  private readonly targets = new Map<string, number>();
  private stopped: Error | undefined;

  constructor(
    private readonly audit: Pick<AuditLog, "append" | "path">,
    private readonly lock: StateLock,
    private readonly journal: JournalWriter,
  ) {}

  /** Why this cycle stopped making mutating calls (state not writable, lock lost); undefined while it may go on. */
  get halted(): Error | undefined {
    return this.stopped;
  }

  /** Throws if the state lock was lost or the state could not be written: no mutating call may follow. */
  assertHeld(): void {
    if (this.stopped) throw this.stopped;
    if (this.journal.failure !== undefined) {
      throw this.stop(new StateWriteError(`the journal could not be saved (${messageOf(this.journal.failure)})`));
    }
    this.assertLockHeld();
  }

  /** Throws only if the lock was lost (fencing): a cycle that is halted for a failed write may still try to report. */
  assertLockHeld(): void {
    try {
      this.lock.assertHeld();
    } catch (error) {
      throw this.stop(error);
    }
  }

  async perform<T>(step: string, target: ActionTarget, call: () => Promise<T>): Promise<T> {
    this.assertHeld();
    await this.write(this.auditRecord(target, "intent"));
    let result: T;
    try {
      result = await call();
    } catch (error) {
      await this.record(step, target, "failed", messageOf(error)).catch(() => undefined);
      throw error;
    }
    // The call was made: its result stands even if its outcome line cannot be written (then the
    // cycle is halted and says so, and the intent line already names the call).
    await this.record(step, target, "ok").catch(() => undefined);
    return result;
  }

  /** For calls made inside a module (a linking batch created by linkData): their outcome, recorded after the fact. */
  async record(step: string, target: ActionTarget, result: "ok" | "failed", message?: string): Promise<void> {
    this.count(step, target, result, message);
    await this.write(this.auditRecord(target, result, message));
  }

  /** Targets of the calls made with any of `actions`, ok or failed. */
  targetsOf(actions: ReadonlySet<string>): number {
    return [...actions].reduce((n, action) => n + (this.targets.get(action) ?? 0), 0);
  }

  private count(step: string, target: ActionTarget, result: "ok" | "failed", message: string | undefined): void {
    this.totals.calls += 1;
    if (result === "failed") this.totals.failed += 1;
    this.targets.set(target.action, (this.targets.get(target.action) ?? 0) + target.ids.length);
    if (this.records.length >= reportedCalls) return;
    const listed = (values: readonly string[]) => values.slice(0, reportedTargets);
    this.records.push({
      step,
      action: target.action,
      ids: listed(target.ids),
      ...(target.paths ? { paths: listed(target.paths) } : {}),
      ...(target.ids.length > reportedTargets ? { idCount: target.ids.length } : {}),
      result,
      ...(message !== undefined ? { message } : {}),
    });
  }

  private auditRecord(target: ActionTarget, result: AuditRecord["result"], message?: string): AuditRecord {
    const paths = target.paths === undefined ? undefined : [...target.paths];
    return { action: target.action, targets: { ids: [...target.ids], ...(paths ? { paths } : {}) }, result, ...(message !== undefined ? { message } : {}) };
  }

  private async write(entry: AuditRecord): Promise<void> {
    try {
      await this.audit.append(entry);
    } catch (error) {
      throw this.stop(error);
    }
  }

  /** Latches the first reason to stop: a lost lock stays itself, any other failure becomes a StateWriteError. */
  private stop(error: unknown): Error {
    if (this.stopped) return this.stopped;
    if (error instanceof LockCompromisedError) return (this.stopped = error);
    const cause = error instanceof StateWriteError ? error.message : `the audit log ${this.audit.path} could not be written (${messageOf(error)})`;
    this.stopped = new StateWriteError(
      `${cause}; no further irreversible call is made this cycle — make the state directory writable and run again`,
    );
    return this.stopped;
  }
}
