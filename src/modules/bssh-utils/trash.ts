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

export interface TrashOutcome {
  moved: TrashTarget[];
  failed: { target: TrashTarget; error: Error }[];
}

/**
 * Moves items to the trash (no bulk call exists: one request each, run side by side within the
 * client's concurrency limit). One failure does not stop the others; each is reported.
 */
export async function moveToTrash(
  bs: BaseSpaceClient,
  targets: readonly TrashTarget[],
  mover: TrashMover = deleteEndpointTrashMover,
): Promise<TrashOutcome> {
  const settled = await Promise.allSettled(targets.map((target) => mover(bs, target)));
  const outcome: TrashOutcome = { moved: [], failed: [] };
  settled.forEach((result, i) => {
    const target = targets[i] as TrashTarget;
    if (result.status === "fulfilled") outcome.moved.push(target);
    else outcome.failed.push({ target, error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)) });
  });
  return outcome;
}

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
