import type { SimContext } from "../context.js";
import { LIFECYCLE_ONLY_IN_OWNING_PROJECT } from "./assumptions.js";
import { type DataItem, type DataStatus, objectKeyOf } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import { ProblemError, badRequest, conflict } from "./problem.js";

export type LifecycleAction = "archive" | "unarchive" | "delete";

interface Transition {
  /** States the action starts from. */
  from: readonly DataStatus[];
  /** States that already are (or are becoming) the result: nothing to do. */
  reached: readonly DataStatus[];
  transit: DataStatus;
  /** Final state, or `undefined` when the data disappears. */
  to: DataStatus | undefined;
  delayMs: (timings: SimContext["timings"]) => number;
}

/**
 * Notes §6: AVAILABLE → ARCHIVING → ARCHIVED, ARCHIVED → UNARCHIVING → AVAILABLE, → DELETING → gone.
 * `:delete` of ARCHIVED data is refused unless `ica.delete-archived` is `allowed`.
 */
const transitions = (ctx: SimContext): Record<LifecycleAction, Transition> => ({
  archive: { from: ["AVAILABLE"], reached: ["ARCHIVING", "ARCHIVED"], transit: "ARCHIVING", to: "ARCHIVED", delayMs: (t) => t.icaArchiveMs },
  unarchive: { from: ["ARCHIVED"], reached: ["UNARCHIVING", "AVAILABLE"], transit: "UNARCHIVING", to: "AVAILABLE", delayMs: (t) => t.icaUnarchiveMs },
  delete: {
    from: ctx.assumptions.is("ica.delete-archived", "refused") ? ["AVAILABLE", "PARTIAL"] : ["AVAILABLE", "PARTIAL", "ARCHIVED"],
    reached: ["DELETING"],
    transit: "DELETING",
    to: undefined,
    delayMs: (t) => t.icaDeleteMs,
  },
});

function refusal(rule: Transition, action: LifecycleAction, item: DataItem, root: DataItem): ProblemError {
  const where = item === root ? `${item.path} is ${item.status}` : `${item.path} under ${root.path} is ${item.status}`;
  const hint =
    action === "delete" && (item.status === "ARCHIVED" || item.status === "ARCHIVING")
      ? "; unarchive it and wait until it is AVAILABLE before deleting"
      : `; ${action} works on data that is ${rule.from.join(" or ")}`;
  return conflict(`cannot ${action}: ${where}${hint}`);
}

/**
 * `POST …/data/{dataId}:archive|:unarchive|:delete` (spec L7085-7148): validates the whole subtree
 * first (all or nothing), moves what needs it to the transit state now and to the final state after the
 * configured delay, through the scheduler so only the simulated clock decides when.
 */
export function startLifecycleAction(ctx: SimContext, store: DataStore, projectId: string, root: DataItem, action: LifecycleAction): void {
  if (LIFECYCLE_ONLY_IN_OWNING_PROJECT && root.owningProjectId !== projectId) {
    throw badRequest(`${root.id} is linked into this project from project ${root.owningProjectId}; ${action} it there`);
  }
  const rule = transitions(ctx)[action];
  // `ica.folder-status=stays-available`: folders keep their status while the files below them move.
  const folderStays = action !== "delete" && ctx.assumptions.is("ica.folder-status", "stays-available");
  const view = store.view(root.owningProjectId);
  const moving: DataItem[] = [];
  for (const item of store.subtree(view, root)) {
    if (item.owningProjectId !== root.owningProjectId || (folderStays && item.dataType === "FOLDER")) continue;
    if (rule.from.includes(item.status)) moving.push(item);
    else if (!rule.reached.includes(item.status) || (item === root && ctx.assumptions.is("ica.repeated-lifecycle-action", "conflict"))) {
      throw refusal(rule, action, item, root);
    }
  }
  if (moving.length === 0) return;
  const now = ctx.clock.now();
  const delayMs = rule.delayMs(ctx.timings);
  for (const item of moving) store.setStatus(item, rule.transit, now);
  ctx.scheduler.after(delayMs, () => {
    const due = moving.filter((item) => store.get(item.id) === item && item.status === rule.transit);
    if (rule.to === undefined) {
      // `ica.source-delete-removes-links=links-survive`: data linked elsewhere keeps its bytes and shows AVAILABLE there.
      const keepLinks = ctx.assumptions.is("ica.source-delete-removes-links", "links-survive");
      const survivors = keepLinks ? due.filter((item) => store.projectsLinking(item).size > 0) : [];
      for (const item of survivors) store.setStatus(item, "AVAILABLE", now + delayMs);
      for (const item of due) if (item.dataType === "FILE" && !survivors.includes(item)) ctx.objects.delete(objectKeyOf(item));
      store.remove(due, { keepLinks });
      return;
    }
    for (const item of due) store.setStatus(item, rule.to, now + delayMs);
  });
}
