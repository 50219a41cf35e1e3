import type { BaseSpaceClient } from "../../basespace/client.js";
import type { BsTrashItem } from "../../basespace/schemas.js";
import { NotFoundError } from "../../http/errors.js";

export interface TrashTarget {
  kind: "dataset" | "run";
  id: string;
}

/**
 * How one dataset or run is moved to the trash. BaseSpace documents no such endpoint (notes §10); the
 * predecessor's `DELETE /v2/datasets/{id}` / `/v2/runs/{id}` is the default. When Illumina confirms
 * another call, write another TrashMover — nothing else changes.
 */
export type TrashMover = (bs: BaseSpaceClient, target: TrashTarget) => Promise<void>;

export const deleteEndpointTrashMover: TrashMover = async (bs, target) => {
  try {
    await bs.deleteItem(target.kind, target.id);
  } catch (error) {
    // DELETE is retried after a lost answer; the retry then finds the item already gone from view.
    if (error instanceof NotFoundError && error.attempts > 1) return;
    throw error;
  }
};

/** Everything in the trash, collected (it is emptied as a whole, so callers need all of it at once). */
export async function listTrash(bs: BaseSpaceClient): Promise<BsTrashItem[]> {
  const items: BsTrashItem[] = [];
  for await (const item of bs.listTrash()) items.push(item);
  return items;
}

/** Permanently deletes EVERYTHING in the trash, including items people put there by hand. */
export function emptyTrash(bs: BaseSpaceClient): Promise<void> {
  return bs.emptyTrash();
}
