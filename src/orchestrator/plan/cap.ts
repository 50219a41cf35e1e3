import type { PlanAction, PlanItem } from "./plan-types.js";

/**
 * The per-cycle deletion cap: one budget shared by the ICA and the BaseSpace lifecycle (ICA plans first
 * and passes what is left on).
 *
 * It counts every action that commits the cycle to removing data: `delete`, `trash`, and also the
 * `unarchive`/`restore` requested only so that the data can be deleted in a later cycle. Those cost
 * money and time, and with a cap of 0 ("no deletions") restoring data that will never be deleted would
 * be waste. An item therefore spends one unit when its restore is requested and one more when it is
 * finally deleted (a later cycle, a fresh budget). Emptying the trash spends nothing: what we put there
 * was counted when it was trashed (see empty-trash.ts for the cap-0 rule).
 */
export const cappedActions: ReadonlySet<PlanAction> = new Set<PlanAction>(["delete", "unarchive", "restore", "trash"]);

export interface DeletionBudget {
  /** The configured per-cycle cap (0 = no deletions). */
  readonly cap: number;
  readonly remaining: number;
}

export function deletionBudget(cap: number): DeletionBudget {
  if (!Number.isInteger(cap) || cap < 0) {
    throw new Error(`delete cap must be a whole number ≥ 0 (0 = no deletions), got ${cap}`);
  }
  return { cap, remaining: cap };
}

export interface CapOutcome {
  items: PlanItem[];
  budget: DeletionBudget;
  /** Capped items turned into `skip-cap` because the budget ran out. */
  deferred: number;
}

/**
 * Spends the budget on the capped items in the order given (callers sort by priority, oldest first);
 * the ones beyond it become `skip-cap`. Other items pass through unchanged.
 */
export function applyDeletionCap(items: readonly PlanItem[], budget: DeletionBudget): CapOutcome {
  let remaining = budget.remaining;
  let deferred = 0;
  const out = items.map((item): PlanItem => {
    if (!cappedActions.has(item.action)) return item;
    if (remaining > 0) {
      remaining -= 1;
      return item;
    }
    deferred += 1;
    return { ...item, action: "skip-cap", reason: `${capReason(budget.cap)}; would ${item.action}: ${item.reason}` };
  });
  return { items: out, budget: { cap: budget.cap, remaining }, deferred };
}

export function capWarning(deferred: number, cap: number, where: string): string | null {
  if (deferred === 0) return null;
  return cap === 0
    ? `${where}: deletions are off (delete cap 0); ${deferred} item(s) past days_to_delete left as they are`
    : `${where}: delete cap of ${cap} per cycle reached; ${deferred} item(s) wait for the next cycle`;
}

function capReason(cap: number): string {
  return cap === 0 ? "deletions are off (delete cap 0)" : `delete cap of ${cap} reached this cycle`;
}
