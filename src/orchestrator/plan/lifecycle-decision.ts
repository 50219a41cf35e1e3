import type { AgeWindow } from "./age.js";

/**
 * The lifecycle rule shared by ICA output folders and BaseSpace datasets/runs, on a storage state both
 * services map to. Each planner turns the decision into its own verbs (ICA: unarchive/delete,
 * BaseSpace: restore/trash) and then applies protect list, scopes and the cap.
 */
export type StorageState =
  | { kind: "available" }
  | { kind: "archived" }
  /** An archive/restore/delete is running or the data is incomplete: touch nothing this cycle. */
  | { kind: "busy"; reason: string }
  /** Not ours to act on (e.g. another user's data shared with the account): touch nothing, ever. */
  | { kind: "off-limits"; reason: string };

export type LifecycleDecision =
  | { kind: "none" }
  | { kind: "archive" }
  /** Archived data past the delete age: bring it back first; the removal happens in a later cycle. */
  | { kind: "restore" }
  | { kind: "remove"; afterRestore: boolean }
  | { kind: "wait"; reason: string }
  | { kind: "skip"; reason: string };

/**
 * @param restoreRequested the journal says a restore/unarchive of this item was already requested;
 *   it is never requested twice (BaseSpace restores cost credits and take up to two days).
 */
export function decideLifecycle(window: AgeWindow, state: StorageState, restoreRequested: boolean): LifecycleDecision {
  if (window === "young") return { kind: "none" };
  if (state.kind === "off-limits") return { kind: "skip", reason: state.reason };
  if (state.kind === "busy") return { kind: "wait", reason: state.reason };
  if (window === "archive") return state.kind === "available" ? { kind: "archive" } : { kind: "none" };
  if (state.kind === "available") return { kind: "remove", afterRestore: restoreRequested };
  return restoreRequested
    ? { kind: "wait", reason: "restore requested in an earlier cycle; still archived" }
    : { kind: "restore" };
}
