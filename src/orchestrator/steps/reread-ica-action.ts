import { lifecycleBasis, type LifecycleAction } from "../../modules/data-transfer/index.js";
import type { ActionLog } from "../action-log.js";
import type { CycleContext } from "../cycle-context.js";
import type { PlanItem } from "../plan/plan-types.js";
import { rereadBeforeActing, type RereadOutcome } from "../reread-before-acting.js";

/**
 * One ICA archive, unarchive or delete of an output folder, on a fresh read of it (see
 * rereadBeforeActing): the planner archives and deletes AVAILABLE folders and unarchives ARCHIVED ones,
 * so a folder found otherwise, or under another path, changed since it was planned. Every call made
 * is audited; a failure that a re-read shows took effect is audited again as ok.
 */
export async function rereadIcaAction(
  ctx: CycleContext,
  actions: ActionLog,
  sourceId: string,
  item: PlanItem,
  action: LifecycleAction,
): Promise<RereadOutcome> {
  const { id, path } = item.target;
  const target = { action, ids: [id], ...(path !== undefined ? { paths: [path] } : {}) };
  const planned = { status: action === "unarchive" ? ("ARCHIVED" as const) : ("AVAILABLE" as const), ...(path !== undefined ? { path } : {}) };
  const outcome = await rereadBeforeActing({
    reread: (called) => lifecycleBasis(ctx.ica, sourceId, id, action, planned, called),
    call: () => actions.perform("icaLifecycle", target, () => ctx.ica.lifecycleAction(sourceId, id, action)),
  });
  if (outcome.outcome === "done" && outcome.confirmedByReread) {
    await actions.record("icaLifecycle", target, "ok", "confirmed by reading the folder again after an ambiguous failure");
  }
  return outcome;
}
