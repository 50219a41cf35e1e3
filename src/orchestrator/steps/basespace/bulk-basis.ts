import { maxBaseSpaceLimit, type BaseSpaceClient } from "../../../basespace/client.js";
import { NotFoundError, unlessNotFound } from "../../../http/errors.js";
import { ageInDays } from "../../plan/age.js";
import type { BasespaceDataset, BasespaceItem } from "../../plan/plan-basespace-lifecycle.js";
import { oldestFirst } from "./basespace-items.js";

/** What a re-read found of the items of one bulk request: the ones still as planned, and the others with why. */
export interface BulkBasis {
  keep: BasespaceItem[];
  dropped: Array<{ item: BasespaceItem; why: string }>;
}

/** The fields a bulk decision rests on, as a listing (BsDataset, BsRun) or a read by id (BsItemState) shows them. */
interface Seen {
  isArchived: boolean;
  isDeleted?: boolean;
  createdAtMs: number | null;
  projectId?: string | null;
  ownerId: string | null;
  status?: string | null;
}

/**
 * Reads the items of one bulk archive or restore again, right before the request, and keeps those whose
 * basis is unchanged. The swagger has no read of several datasets or runs by id (GetV2Datasets filters by
 * project, type, archive state…, not by id; GetV2Runs' `id` is the one resource id every operation of
 * that codegen carries), so the read is batched as the listings the plan came from, in their order:
 * GetV2Datasets across projects or GetV2ProjectsIdDatasets per project, filtered on `isarchived` as the
 * plan saw the items (False for an archive, True for a restore), and GetV2Runs — all `sortby=DateCreated`,
 * `sortdir=Asc`. The items of a bulk request are aged, so near the listing's start, and a listing stops
 * as soon as all of them were seen: usually on its first page. An item it does not show (changed, or missed while a person's change
 * shifted the pages) is read by id, GetV2DatasetsId / GetV2RunsId, which also says what changed.
 * Nothing here depends on the listing order or the filter being honoured: every item seen is compared
 * field by field, and one not seen is read by id. A failed read throws: the caller sends nothing.
 */
export async function rereadBulkBasis(bs: BaseSpaceClient, items: readonly BasespaceItem[], now: Date): Promise<BulkBasis> {
  const seen = new Map<string, Seen>();
  const datasets = items.filter((item): item is BasespaceDataset => item.kind === "dataset");
  for (const isArchived of [false, true]) {
    const group = datasets.filter((item) => item.isArchived === isArchived);
    const projects = [...new Set(group.map((item) => item.projectId))];
    // Several projects: one listing across them (GetV2Datasets) first, given up past one page per project,
    // as the lifecycle's own listing does (basespace-items.ts); then per project, for what it did not reach.
    const across = projects.length > 1 && (await collect(bs.listDatasets({ isArchived }, oldestFirst), group, seen, projects.length * maxBaseSpaceLimit));
    if (across) continue;
    for (const projectId of projects) {
      const missing = group.filter((item) => item.projectId === projectId && !seen.has(item.id));
      if (missing.length > 0) await collect(bs.listProjectDatasets(projectId, { isArchived }, oldestFirst), missing, seen);
    }
  }
  const runs = items.filter((item) => item.kind === "run");
  if (runs.length > 0) await collect(bs.listRuns(oldestFirst), runs, seen);
  const unseen = items.filter((item) => !seen.has(item.id));
  const read = await Promise.all(unseen.map(async (item) => [item.id, await unlessNotFound(bs.getItem(item.kind, item.id))] as const));
  const basis: BulkBasis = { keep: [], dropped: [] };
  const byId = new Map(read);
  for (const item of items) {
    const state = seen.get(item.id) ?? byId.get(item.id);
    const why = state === undefined ? "it is gone (purged by someone)" : changeOf(item, state, now);
    if (why === undefined) basis.keep.push(item);
    else basis.dropped.push({ item, why });
  }
  return basis;
}

/**
 * Reads a listing until every wanted item has been seen (the rest is not fetched) or it ends: true; false
 * when it was given up after `budget` entries (before the next page). A project that is gone (404) shows
 * nothing: its datasets are then read by id, which says where they are.
 */
async function collect(listing: AsyncIterable<Seen & { id: string }>, wanted: readonly BasespaceItem[], seen: Map<string, Seen>, budget = Infinity): Promise<boolean> {
  const ids = new Set(wanted.map((item) => item.id));
  let missing = ids.size;
  let scanned = 0;
  try {
    for await (const entry of listing) {
      if (ids.has(entry.id) && !seen.has(entry.id)) {
        seen.set(entry.id, entry);
        if (--missing === 0) return true;
      }
      if (++scanned >= budget) return false;
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return true;
}

/** Why the item is no longer what the plan decided on; undefined when it is. A new name alone changes nothing: identity is by id. */
function changeOf(item: BasespaceItem, now: Seen, at: Date): string | undefined {
  if (now.isDeleted === true) return "someone moved it to the trash";
  if (now.isArchived !== item.isArchived) return now.isArchived ? "someone archived it since the listing" : "it is no longer archived (restored since the listing)";
  if (item.kind === "dataset" && now.projectId != null && now.projectId !== item.projectId) return `it moved to project ${now.projectId}`;
  if (item.ownerId != null && now.ownerId !== null && now.ownerId !== item.ownerId) return `it is now owned by user ${now.ownerId}`;
  if (now.createdAtMs !== null && ageInDays(now.createdAtMs, at) !== item.ageDays) return "its DateCreated changed since the listing";
  if (item.kind === "run" && now.status != null && now.status !== item.status) return `its status is now ${now.status}`;
  return undefined;
}
