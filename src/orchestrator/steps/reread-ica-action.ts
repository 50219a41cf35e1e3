import { lifecycleBasis, requestLifecycleAction, type LifecycleAction } from "../../modules/data-transfer/index.js";
import type { ActionLog } from "../action-log.js";
import type { CycleContext } from "../cycle-context.js";
import type { PlanItem } from "../plan/plan-types.js";
import { auditedRereadCall, type RereadOutcome } from "../reread-before-acting.js";

/**
 * One ICA archive, unarchive or delete of an output folder, on a fresh read of it (see
 * rereadBeforeActing): the planner archives and deletes AVAILABLE folders and unarchives ARCHIVED ones,
 * so a folder found otherwise, or under another path, changed since it was planned.
 */
export function rereadIcaAction(
  ctx: CycleContext,
  actions: ActionLog,
  sourceId: string,
  item: PlanItem,
  action: LifecycleAction,
  /**
   * What the folder itself says when the plan went by its files (ledger ica.folder-status), or
   * ARCHIVED for a delete tried on archived data (the cheap path).
   */
  folderSays?: "AVAILABLE" | "ARCHIVED",
): Promise<RereadOutcome> {
  const { id, path } = item.target;
  const target = { action, ids: [id], ...(path !== undefined ? { paths: [path] } : {}) };
  const status = folderSays ?? (action === "unarchive" ? ("ARCHIVED" as const) : ("AVAILABLE" as const));
  const planned = { status, ...(path !== undefined ? { path } : {}) };
  return auditedRereadCall(actions, "icaLifecycle", target, {
    reread: (called) => lifecycleBasis(ctx.ica, sourceId, id, action, planned, called),
    call: () => requestLifecycleAction(ctx.ica, sourceId, id, action),
  });
}
