import { DEFERRED_PURGE_MS } from "../assumption-switches.js";
import type { SimContext } from "../context.js";
import { OTHERS_ITEMS_ARE_SHARED, TERMINAL_RUN_STATUSES, TRASHED_ITEMS_READABLE_BY_ID } from "./assumptions.js";
import { BsError, badRequest, forbidden, notFound, removed } from "./bs-error.js";
import type { BsItem, BsItemKind, BsTrashEntry, Caller } from "./model.js";
import type { BasespaceStore } from "./store.js";

export interface BulkIds {
  DatasetIds: string[];
  RunIds: string[];
}

export interface BulkOutcome {
  accepted: BsItem[];
  skipped: { id: string; reason: string }[];
}

const label = (kind: BsItemKind) => (kind === "dataset" ? "dataset" : "run");

/**
 * Archive, restore and trash: the state changes and the eligibility rules of [NOTES-BS] §9–§12.
 * Delayed effects go through the scheduler, so they land when the simulated clock says so.
 */
export class Lifecycle {
  constructor(
    private readonly store: BasespaceStore,
    private readonly ctx: Pick<SimContext, "clock" | "scheduler" | "timings" | "assumptions">,
  ) {}

  /** An item by id in any state; 404 for an unknown id, 410 for one removed from the trash for good. */
  find<K extends BsItemKind>(kind: K, id: string): Extract<BsItem, { kind: K }> {
    const hit = this.store.lookup(kind, id);
    if (!hit) throw notFound(`${label(kind)} ${id} does not exist; list ${label(kind)}s to find valid ids`);
    if ("removed" in hit) throw removed(`${label(kind)} ${id} and its data were removed permanently (trash emptied)`);
    return hit.found;
  }

  /** `GET /v2/{datasets|runs}/{id}`: an item in the trash reads with IsDeleted=true (assumptions.ts). */
  read<K extends BsItemKind>(kind: K, id: string): Extract<BsItem, { kind: K }> {
    const item = this.find(kind, id);
    if (item.trashId !== undefined && !TRASHED_ITEMS_READABLE_BY_ID) throw notFound(`${label(kind)} ${id} is in the trash`);
    return item;
  }

  archive(caller: Caller, ids: BulkIds): BulkOutcome {
    const outcome = this.screen(caller, ids, (item) => {
      if (item.trashId !== undefined) return "is in the trash";
      if (item.isArchived) return "is already archived";
      if (item.kind === "run" && !(TERMINAL_RUN_STATUSES as readonly string[]).includes(item.status)) {
        return `has status ${item.status}; only ${TERMINAL_RUN_STATUSES.join(", ")} runs can be archived`;
      }
      return undefined;
    });
    const delay = this.ctx.timings.bsArchiveMs;
    for (const item of outcome.accepted) {
      const flip = () => {
        if (item.trashId !== undefined) return;
        item.isArchived = true;
        this.store.changed(item, this.ctx.clock.now());
      };
      // The swagger: "the status will update right away"; a positive delay is only for experiments.
      if (delay <= 0) flip();
      else this.ctx.scheduler.after(delay, flip);
    }
    return outcome;
  }

  restore(caller: Caller, ids: BulkIds): BulkOutcome {
    const outcome = this.screen(caller, ids, (item) => {
      if (item.trashId !== undefined) return "is in the trash";
      if (!item.isArchived) return "is not archived";
      return undefined;
    });
    for (const item of outcome.accepted) {
      // Asking again while a restore runs changes nothing: the client cannot see "restoring" (no such field).
      if (item.restorePending) continue;
      item.restorePending = true;
      this.ctx.scheduler.after(this.ctx.timings.bsRestoreMs, () => {
        item.isArchived = false;
        item.restorePending = false;
        this.store.changed(item, this.ctx.clock.now());
      });
    }
    return outcome;
  }

  moveToTrash(caller: Caller, kind: BsItemKind, id: string): BsTrashEntry {
    const assume = this.ctx.assumptions;
    if (assume.is("bs.trash-endpoint", "absent") || (kind === "dataset" && assume.is("bs.trash-endpoint", "runs-only"))) {
      throw new BsError(405, "MethodNotAllowed", `DELETE is not allowed on /v2/${label(kind)}s/{id}`);
    }
    const item = this.find(kind, id);
    if (item.trashId !== undefined) {
      const entry = this.store.trashEntry(item.trashId);
      if (assume.is("bs.repeated-trash-move", "no-op") && entry) return entry;
      if (assume.is("bs.repeated-trash-move", "not-found")) throw notFound(`${label(kind)} ${id} does not exist`);
      throw badRequest(`${label(kind)} ${id} is already in the trash (trash id ${item.trashId})`);
    }
    if (item.ownerId !== caller.user.id) {
      throw forbidden(`${label(kind)} ${id} belongs to user ${item.ownerId}; only its owner can move it to the trash`);
    }
    if (assume.is("bs.trash-archived", "refused") && item.isArchived) {
      throw badRequest(
        `${label(kind)} ${id} is archived; restore it (POST /v2/restore) and wait until IsArchived is false before deleting it`,
      );
    }
    return this.store.moveToTrash(item, caller.user.id, this.ctx.clock.now());
  }

  /** A trash entry of the caller's own trash; other users' entries are invisible (404). */
  trashEntry(caller: Caller, trashId: string): BsTrashEntry {
    const entry = this.store.trashEntry(trashId);
    if (!entry || entry.item.ownerId !== caller.user.id) {
      throw notFound(`trash item ${trashId} does not exist; GET /v2/trash lists trash ids (they differ from dataset/run ids)`);
    }
    return entry;
  }

  restoreFromTrash(caller: Caller, trashId: string): BsTrashEntry {
    const entry = this.trashEntry(caller, trashId);
    this.store.restoreFromTrash(entry, this.ctx.clock.now());
    return entry;
  }

  /** Empties the caller's whole trash, including items other tools put there ([NOTES-BS] §10). */
  emptyTrash(caller: Caller): void {
    const entries = this.store.trashOf(caller.user.id);
    if (this.ctx.assumptions.is("bs.empty-trash", "immediate")) this.store.purge(entries);
    else this.ctx.scheduler.after(DEFERRED_PURGE_MS, () => this.store.purge(entries.filter((e) => this.store.trashEntry(e.trashId) === e)));
  }

  /**
   * Resolves every id (unknown → 404 for the whole request) and applies `reason` plus the ownership
   * rule; ineligible ids fail the request or are skipped, per the policy.
   */
  private screen(caller: Caller, ids: BulkIds, reason: (item: BsItem) => string | undefined): BulkOutcome {
    const items = [
      ...ids.DatasetIds.map((id) => this.find("dataset", id)),
      ...ids.RunIds.map((id) => this.find("run", id)),
    ];
    const outcome: BulkOutcome = { accepted: [], skipped: [] };
    for (const item of new Set(items)) {
      const why =
        OTHERS_ITEMS_ARE_SHARED && item.ownerId !== caller.user.id
          ? `is shared with you by user ${item.ownerId}; only the owner can change its storage`
          : reason(item);
      if (why === undefined) outcome.accepted.push(item);
      else outcome.skipped.push({ id: item.id, reason: `${label(item.kind)} ${item.id} ${why}` });
    }
    if (this.ctx.assumptions.is("bs.ineligible-bulk", "reject") && outcome.skipped.length > 0) {
      throw badRequest(`nothing was changed: ${outcome.skipped.map((s) => s.reason).join("; ")}`, {
        IneligibleIds: outcome.skipped.map((s) => s.id),
      });
    }
    return outcome;
  }
}
