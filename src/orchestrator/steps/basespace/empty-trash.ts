import type { BaseSpaceClient } from "../../../basespace/client.js";
import type { BsTrashItem } from "../../../basespace/schemas.js";
import { emptyTrash as emptyBasespaceTrash, listTrash } from "../../../modules/bssh-utils/index.js";
import type { CycleContext } from "../../cycle-context.js";
import type { BasespaceIdSets } from "../../plan/plan-basespace-lifecycle.js";
import type { ScopeGate } from "../../plan/basespace-scopes.js";
import type { DeletionBudget } from "../../plan/cap.js";
import type { Canaries } from "../../../assumptions/canaries.js";
import { gateByCanary } from "../../plan/canary-gate.js";
import { decideEmptyTrash, isOurs, type TrashEntry } from "../../plan/plan-empty-trash.js";
import type { PlanItem } from "../../plan/plan-types.js";
import { NotFoundError } from "../../../http/errors.js";
import { noteRestoredFromTrash } from "../../person-decisions.js";
import { rereadBeforeActing } from "../../reread-before-acting.js";
import { failureFactOf } from "../../failure-facts.js";
import { noteContradiction, stoppedBecause } from "../../contradictions.js";
import { messageOf, type StepRecorder } from "../../step-recorder.js";

export interface EmptyTrashStepInput {
  scopes: ScopeGate;
  budget: DeletionBudget;
  /** This cycle's trash items: in a dry run they are not in the trash yet, so they are added to what is listed. */
  plannedTrash: readonly PlanItem[];
  /** With `canary: on`: the first purge against the account is read back before the next is made. */
  canaries?: Canaries;
}

/**
 * Empties the BaseSpace trash per `empty_trash` (see decideEmptyTrash). With `own-only` and nothing of
 * ours in the trash there is nothing to decide, so the trash is not even listed, and with `own-only`
 * the listing stops at the first item someone else put there. Ours that are no longer there (emptied
 * or restored by a person) are forgotten whenever the trash was read to the end.
 *
 * The purge cannot be undone and takes whatever is in the trash when it lands, so it is made only on a
 * listing taken right before it, never replayed blindly: after a failure or a wait (429 Retry-After,
 * timeout, 5xx) the trash is listed and decided again (rereadBeforeActing), and the audit line names
 * the items of the listing the purge was sent on.
 */
export async function emptyTrash(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  input: EmptyTrashStepInput,
  rec: StepRecorder,
): Promise<PlanItem | null> {
  const mode = ctx.settings.emptyTrash;
  const planned = ctx.dryRun ? input.plannedTrash.filter((item) => item.action === "trash") : [];
  if (mode === "never") return null;
  const ours = trashedByUs(ctx, planned);
  if (mode === "own-only" && ours.datasetIds.size + ours.runIds.size === 0) return null;

  const first = await readAndDecide(ctx, bs, input, ours, planned, rec);
  if (first.decision.warning !== null) rec.warn(first.decision.warning);
  rec.count("trashItems", first.trash.length);
  const { canaries } = input;
  const [decided] = first.decision.item === null ? [] : gateByCanary([gateByLedger(ctx, first.decision.item)], {
    enabled: canaries !== undefined,
    canaryOf: (kind) => canaries?.of(kind),
    kindOf: (item) => (item.action === "empty-trash" ? "bs-empty-trash" : undefined),
  });
  const actions = ctx.actions;
  if (first.decision.empty && decided?.action === "empty-trash" && actions) {
    const step = "basespaceLifecycle";
    let latest = first;
    // The listing the purge was last sent on: exactly what it took, if it took effect.
    let sentOn = first.listed;
    const target = () => ({ action: "empty-trash", ids: sentOn.map((entry) => entry.itemId ?? entry.trashId) });
    try {
      const outcome = await rereadBeforeActing({
        reread: async (called) => {
          if (!called) return { state: "unchanged" }; // `first` was listed right before.
          latest = await readAndDecide(ctx, bs, input, ours, planned, rec);
          if (latest.listed.length === 0) return { state: "done" };
          return latest.decision.empty ? { state: "unchanged" } : { state: "changed", why: latest.decision.warning ?? latest.decision.item?.reason ?? "" };
        },
        call: async () => {
          sentOn = latest.listed;
          await actions.perform(step, target(), () => emptyBasespaceTrash(bs));
        },
      });
      if (outcome.outcome === "skipped") {
        rec.warn(`BaseSpace trash not emptied: listed again after a failed attempt, it no longer holds only what may be purged: ${outcome.why}`);
      } else {
        if (outcome.outcome === "done" && outcome.confirmedByReread) {
          await actions.record(step, target(), "ok", "confirmed by listing the trash again after an ambiguous failure");
        }
        ctx.journal.forgetTrashed(sentOn.flatMap((entry) => (entry.itemId === null ? [] : [entry.itemId])));
        rec.count("trashEmptied", sentOn.length);
        if (outcome.outcome === "done" && !outcome.confirmedByReread) await readPurgeBack(ctx, bs, sentOn, rec);
        // Read back by a dataset or run it took (other kinds cannot be read by id).
        const readBack = sentOn.find((entry) => entry.itemId !== null && entry.kind !== "other");
        if (readBack?.itemId != null && readBack.kind !== "other") {
          canaries?.applied("bs-empty-trash", { id: readBack.itemId, label: `${readBack.kind} ${readBack.name ?? ""} [${readBack.itemId}]`, kind: readBack.kind }, ctx.now);
        }
      }
    } catch (error) {
      rec.error(`emptying the BaseSpace trash failed: ${messageOf(error)}`, failureFactOf(error, "trash"));
    }
  }
  await ctx.journalWriter.save();
  return decided ?? null;
}

/** A purge the ledger stops (`bs.empty-trash` contradicted) is a skip naming the entry and its `ack`. */
function gateByLedger(ctx: CycleContext, item: PlanItem): PlanItem {
  const stopped = item.action === "empty-trash" ? stoppedBecause(ctx.ledger, "bs-empty-trash") : undefined;
  return stopped === undefined ? item : { ...item, action: "skip", reason: stopped };
}

/**
 * Ledger `bs.empty-trash`: the purge takes every item at once. Until a purge has been seen to do that,
 * the trash is listed right after one — one call (it stops at the first item the purge was sent on), in
 * a cycle that purged, and never again once the entry is confirmed. An item still there contradicts it:
 * the purge is deferred or partial, and purging stops until the operator acknowledges.
 */
async function readPurgeBack(ctx: CycleContext, bs: BaseSpaceClient, sentOn: readonly BsTrashItem[], rec: StepRecorder): Promise<void> {
  if (ctx.ledger.of("bs.empty-trash") !== undefined || sentOn.length === 0) return;
  const sent = new Set(sentOn.map((entry) => entry.trashId));
  let left: BsTrashItem | undefined;
  try {
    left = (await listTrash(bs, (entry) => sent.has(entry.trashId))).listed.find((entry) => sent.has(entry.trashId));
  } catch (error) {
    rec.warn(`the BaseSpace trash could not be read back after the purge (${messageOf(error)}); the next purge is read back instead`);
    return;
  }
  if (left === undefined) {
    ctx.ledger.confirm("bs.empty-trash", `the trash listed right after the purge held none of the ${sent.size} item(s) it was sent on`, ctx.now);
    return;
  }
  noteContradiction(ctx, rec, {
    assumption: "bs.empty-trash",
    evidence: `trash item ${left.name ?? ""} [${left.itemId ?? left.trashId}] was still listed right after the purge that was sent on it`,
  });
}

interface TrashReading {
  listed: BsTrashItem[];
  trash: TrashEntry[];
  decision: ReturnType<typeof decideEmptyTrash>;
}

/** Lists the trash (forgetting ours that left it) and decides whether it may be emptied now. */
async function readAndDecide(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  input: EmptyTrashStepInput,
  ours: BasespaceIdSets,
  planned: readonly PlanItem[],
  rec: StepRecorder,
): Promise<TrashReading> {
  const mode = ctx.settings.emptyTrash;
  // `own-only` is settled by the first item someone else put there, so the listing stops at it.
  const { listed, complete } = await listTrash(bs, mode === "own-only" ? (entry) => !isOurs(entry, ours) : () => false);
  // Listed in the trash: a move recorded but unanswered (a kill) did take effect.
  for (const entry of listed) if (entry.itemId !== null) ctx.journal.confirmTrashed(entry.itemId);
  if (complete) {
    const present = new Set(listed.map((entry) => entry.itemId));
    const gone = Object.entries(ctx.journal.data.trashedByUs).filter(([id]) => !present.has(id));
    await Promise.all(gone.map(([id, trashed]) => forgetOrNoteRestored(ctx, bs, rec, id, trashed.kind)));
  }
  const trash: TrashEntry[] = [...listed, ...planned.map(plannedEntry)];
  const decision = decideEmptyTrash({
    mode,
    trash,
    trashedByUs: ours,
    protect: ctx.protect,
    scopes: input.scopes,
    budget: input.budget,
    complete,
  });
  return { listed, trash, decision };
}

/**
 * One of ours that left the trash was purged (forgotten) or restored by a person (their decision,
 * noted so that it is not trashed again); one whose move was never seen to take effect and is live was
 * never moved (forgotten). Read failures keep the record for the next cycle.
 */
async function forgetOrNoteRestored(ctx: CycleContext, bs: BaseSpaceClient, rec: StepRecorder, id: string, kind: "dataset" | "run"): Promise<void> {
  try {
    const item = await bs.getItem(kind, id);
    if (item.isDeleted) return;
    if (ctx.journal.data.trashedByUs[id]?.pending) ctx.journal.forgetTrashed([id]);
    else noteRestoredFromTrash(ctx, rec, id, item.name);
  } catch (error) {
    if (error instanceof NotFoundError) ctx.journal.forgetTrashed([id]);
  }
}

function trashedByUs(ctx: CycleContext, planned: readonly PlanItem[]): BasespaceIdSets {
  const sets = { datasetIds: new Set<string>(), runIds: new Set<string>() };
  for (const [id, item] of Object.entries(ctx.journal.data.trashedByUs)) (item.kind === "dataset" ? sets.datasetIds : sets.runIds).add(id);
  for (const item of planned) (item.target.kind === "bs-dataset" ? sets.datasetIds : sets.runIds).add(item.target.id);
  return sets;
}

function plannedEntry(item: PlanItem): TrashEntry {
  return {
    trashId: `planned:${item.target.id}`,
    name: item.target.name ?? null,
    kind: item.target.kind === "bs-dataset" ? "dataset" : "run",
    itemId: item.target.id,
    sizeBytes: item.sizeBytes ?? null,
  };
}
