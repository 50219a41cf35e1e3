import type { BaseSpaceClient } from "../../basespace/client.js";
import { NotFoundError } from "../../http/errors.js";
import type { TrashTarget } from "./trash.js";

export type TrashBasis = { state: "unchanged" } | { state: "done" } | { state: "changed"; why: string };

/** What the plan saw of a dataset or run it decided to move to the trash (only available items are). */
export interface PlannedTrash extends TrashTarget {
  name?: string;
  /** Planned while archived (BaseSpace may trash archived data as it is: ledger bs.trash-archived). */
  archived?: boolean;
}

/**
 * Reads a dataset or run right before moving it to the trash, and again after a failure that may have
 * moved it. Before our call, an item already in the trash was put there by someone else (it is not
 * ours to purge), an archived one was archived since the plan, a renamed one is no longer what the
 * plan named. After our call, in the trash (or gone) means our move took effect.
 */
export async function trashBasis(bs: BaseSpaceClient, planned: PlannedTrash, called: boolean): Promise<TrashBasis> {
  let now;
  try {
    now = await bs.getItem(planned.kind, planned.id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return called ? { state: "done" } : { state: "changed", why: "it is gone (purged by someone else)" };
  }
  if (now.isDeleted) return called ? { state: "done" } : { state: "changed", why: "someone else moved it to the trash" };
  if (now.isArchived && planned.archived !== true) return { state: "changed", why: "it was archived" };
  if (planned.name !== undefined && now.name !== planned.name) return { state: "changed", why: `it was renamed to ${now.name}` };
  return { state: "unchanged" };
}
