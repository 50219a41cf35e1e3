import type { AuditLog, StateLock } from "../state/index.js";
import type { ActionRecord } from "./cycle-report.js";
import { messageOf } from "./step-recorder.js";

export interface ActionTarget {
  action: string;
  ids: readonly string[];
  paths?: readonly string[];
}

/**
 * The only way the cycle makes a mutating call: it checks the state lock is still held, makes the
 * call, and appends the outcome (ok or failed) to the audit log and the cycle report. A dry run has
 * no ActionLog at all, so a stray mutation in a dry run fails loudly instead of happening.
 */
export class ActionLog {
  readonly records: ActionRecord[] = [];

  constructor(
    private readonly audit: AuditLog,
    private readonly lock: StateLock,
  ) {}

  /** Throws if the state lock was lost: another cycle may be acting on the same data. */
  assertHeld(): void {
    this.lock.assertHeld();
  }

  async perform<T>(step: string, target: ActionTarget, call: () => Promise<T>): Promise<T> {
    this.assertHeld();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      await this.record(step, target, "failed", messageOf(error));
      throw error;
    }
    await this.record(step, target, "ok");
    return result;
  }

  /** For calls made inside a module (a linking batch created by linkData): their outcome, recorded after the fact. */
  async record(step: string, target: ActionTarget, result: "ok" | "failed", message?: string): Promise<void> {
    const ids = [...target.ids];
    const paths = target.paths === undefined ? undefined : [...target.paths];
    await this.audit.append({
      action: target.action,
      targets: { ids, ...(paths ? { paths } : {}) },
      result,
      ...(message !== undefined ? { message } : {}),
    });
    this.records.push({ step, action: target.action, ids, ...(paths ? { paths } : {}), result, ...(message !== undefined ? { message } : {}) });
  }
}
