import type { ActingAction, PlanItem } from "./plan-types.js";

export interface CheapPathInput {
  /** The billed call planned before a removal of archived data (unarchive, restore). */
  restore: ActingAction;
  /** The free removal (delete, trash move), tried on the archived data as it is. */
  remove: ActingAction;
  /**
   * What the service was seen to answer to a removal of archived data: `refused` (pay the restore),
   * `allowed` (never pay it), undefined (not seen yet).
   */
  answer: "refused" | "allowed" | undefined;
  /** The ledger entry the answer settles, named in the reasons. */
  assumption: string;
}

/**
 * Cheap path first: a restore planned before a removal is paid only once the service has refused the
 * removal of archived data. Until then the removal is tried on the data as it is, on one item only: the
 * rest wait for its answer, which the cycle writes into the ledger, so the next cycle knows which way to go.
 * Returns the plan and the ids now planned for removal while archived.
 */
export function cheapPathFirst(items: readonly PlanItem[], input: CheapPathInput): { items: PlanItem[]; removedArchived: Set<string> } {
  const removedArchived = new Set<string>();
  if (input.answer === "refused") return { items: [...items], removedArchived };
  let asked = false;
  const planned = items.map((item): PlanItem => {
    if (item.action !== input.restore) return item;
    if (input.answer === undefined && asked) {
      return { ...item, action: "wait", reason: `${item.reason}; waits for the answer to the first ${input.remove} of archived data (${input.assumption})` };
    }
    asked = true;
    removedArchived.add(item.target.id);
    const why = input.answer === "allowed" ? `${input.assumption} contradicted: no ${input.restore} needed` : `${input.restore} only if the service refuses it (${input.assumption})`;
    // The planner's reason ends "<state>: <restore> now, <remove> in a later cycle"; only the state still holds.
    const seen = item.reason.split(`: ${input.restore} now`)[0] ?? item.reason;
    return { ...item, action: input.remove, reason: `${seen}; ${input.remove} tried as it is first: ${why}` };
  });
  return { items: planned, removedArchived };
}
