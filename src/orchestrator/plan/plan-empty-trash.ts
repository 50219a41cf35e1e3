import { emptyTrashModes } from "../../config/index.js";
import type { BasespaceIdSets } from "./plan-basespace-lifecycle.js";
import type { ScopeGate } from "./basespace-scopes.js";
import type { DeletionBudget } from "./cap.js";
import type { PlanItem } from "./plan-types.js";
import type { ProtectList } from "./protect.js";

/**
 * `DELETE /v2/trash` empties the whole trash, including what people trashed by hand, and cannot be
 * undone. `own-only` (the default) empties it only when every item in it is one this tool put there;
 * `always` empties it whenever it holds anything; `never` leaves it to people. The modes are the
 * `empty_trash` setting's (config).
 */
type EmptyTrashMode = (typeof emptyTrashModes)[number];

/** A `GET /v2/trash` item, `DeletedDataset.Id` / `DeletedRun.Id` as kind + itemId (the client's `BsTrashItem` fits). */
export interface TrashEntry {
  trashId: string;
  name: string | null;
  kind: "dataset" | "run" | "other";
  itemId: string | null;
  sizeBytes?: number | null;
}

export interface EmptyTrashPlanInput {
  mode: EmptyTrashMode;
  /**
   * The trash as listed right before emptying (after this cycle's moves). For a dry run: the listing
   * plus this cycle's planned trash items.
   */
  trash: readonly TrashEntry[];
  /** Journal: every dataset/run this tool has moved to the trash (this cycle included). */
  trashedByUs: BasespaceIdSets;
  protect: ProtectList;
  scopes: Pick<ScopeGate, "blockedBy">;
  /** With a cap of 0 (no deletions) the trash is never emptied; otherwise emptying spends nothing. */
  budget: DeletionBudget;
  /**
   * False when the listing stopped early, at the first item someone else put there (all `own-only`
   * needs to know): the foreign items are then "at least" those listed.
   */
  complete?: boolean;
}

export interface EmptyTrashDecision {
  empty: boolean;
  /** Trash items this tool did not put there. */
  foreign: TrashEntry[];
  /** The plan item (empty-trash or why not); null when there is nothing to say (empty trash, `never`). */
  item: PlanItem | null;
  warning: string | null;
}

const LISTED = 10;

export function decideEmptyTrash(input: EmptyTrashPlanInput): EmptyTrashDecision {
  const { mode, trash } = input;
  const foreign = trash.filter((entry) => !isOurs(entry, input.trashedByUs));
  const none = { empty: false, foreign, item: null, warning: null };
  if (mode === "never" || trash.length === 0) return none;

  const sizeBytes = trash.reduce((sum, entry) => sum + (entry.sizeBytes ?? 0), 0);
  const item = (action: PlanItem["action"], reason: string): PlanItem => ({
    step: "basespaceLifecycle",
    action,
    target: { kind: "bs-trash", id: "trash", name: `BaseSpace trash (${trash.length} item(s))` },
    sizeBytes,
    reason,
  });
  const skip = (action: PlanItem["action"], reason: string, warning: string | null = null) => ({
    ...none,
    item: item(action, reason),
    warning,
  });

  const blocked = input.scopes.blockedBy("empty-trash");
  if (blocked !== null) return skip("skip-scope", `${blocked}; would empty the trash`);
  if (input.budget.cap === 0) return skip("skip-cap", "deletions are off (delete cap 0); would empty the trash");

  const protectedEntries = trash.filter((entry) => input.protect.match([entry.trashId, entry.itemId, entry.name]));
  if (protectedEntries.length > 0) {
    const list = describe(protectedEntries);
    return skip(
      "skip-protected",
      `the trash holds protected item(s): ${list}`,
      `BaseSpace trash not emptied: it holds protected item(s); restore them from the trash or change the protect list: ${list}`,
    );
  }
  if (mode === "own-only" && foreign.length > 0) {
    const list = describe(foreign);
    const count = input.complete === false ? `at least ${foreign.length}` : `${foreign.length}`;
    return skip(
      "skip",
      `${count} item(s) in the trash were not put there by this tool`,
      `BaseSpace trash not emptied: ${count} item(s) in it were not put there by this tool; empty it by hand or set empty_trash to always: ${list}`,
    );
  }
  const reason =
    foreign.length === 0
      ? `all ${trash.length} item(s) were put there by this tool`
      : `empty_trash=always: ${trash.length} item(s), ${foreign.length} not put there by this tool`;
  return { empty: true, foreign, item: item("empty-trash", reason), warning: null };
}

/** Whether this tool put the entry in the trash (the journal's record of what it trashed). */
export function isOurs(entry: TrashEntry, ours: BasespaceIdSets): boolean {
  if (entry.itemId === null) return false;
  if (entry.kind === "dataset") return ours.datasetIds.has(entry.itemId);
  if (entry.kind === "run") return ours.runIds.has(entry.itemId);
  return false;
}

function describe(entries: readonly TrashEntry[]): string {
  const shown = entries.slice(0, LISTED).map((e) => `${e.name ?? "(no name)"} (${e.kind} ${e.itemId ?? e.trashId})`);
  const more = entries.length > LISTED ? ` and ${entries.length - LISTED} more` : "";
  return shown.join(", ") + more;
}
