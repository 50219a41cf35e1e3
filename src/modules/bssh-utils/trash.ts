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

export interface TrashListing {
  listed: BsTrashItem[];
  /** The trash was read to its end. */
  complete: boolean;
}

/**
 * The trash, collected (it is emptied as a whole, so callers need all of it at once), up to and
 * including the first entry `stopAt` accepts: a decision that one entry settles need not page on.
 */
export async function listTrash(bs: BaseSpaceClient, stopAt: (entry: BsTrashItem) => boolean = () => false): Promise<TrashListing> {
  const listed: BsTrashItem[] = [];
  for await (const entry of bs.listTrash()) {
    listed.push(entry);
    if (stopAt(entry)) return { listed, complete: false };
  }
  return { listed, complete: true };
}

/** Permanently deletes EVERYTHING in the trash, including items people put there by hand. */
export function emptyTrash(bs: BaseSpaceClient): Promise<void> {
  return bs.emptyTrash();
}
