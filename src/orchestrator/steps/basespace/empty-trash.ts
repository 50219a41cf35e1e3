import type { BaseSpaceClient } from "../../../basespace/client.js";
import { emptyTrash as emptyBasespaceTrash, listTrash } from "../../../modules/bssh-utils/index.js";
import type { CycleContext } from "../../cycle-context.js";
import type { BasespaceIdSets } from "../../plan/plan-basespace-lifecycle.js";
import type { ScopeGate } from "../../plan/basespace-scopes.js";
import type { DeletionBudget } from "../../plan/cap.js";
import { decideEmptyTrash, isOurs, type TrashEntry } from "../../plan/plan-empty-trash.js";
import type { PlanItem } from "../../plan/plan-types.js";
import { messageOf, type StepRecorder } from "../../step-recorder.js";
import { failureFactOf } from "../../failure-facts.js";

export interface EmptyTrashStepInput {
  scopes: ScopeGate;
  budget: DeletionBudget;
  /** This cycle's trash items: in a dry run they are not in the trash yet, so they are added to what is listed. */
  plannedTrash: readonly PlanItem[];
}

/**
 * Empties the BaseSpace trash per `empty_trash` (see decideEmptyTrash). With `own-only` and nothing of
 * ours in the trash there is nothing to decide, so the trash is not even listed, and with `own-only`
 * the listing stops at the first item someone else put there. Ours that are no longer there (emptied
 * or restored by a person) are forgotten whenever the trash was read to the end.
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

  // `own-only` is settled by the first item someone else put there, so the listing stops at it.
  const { listed, complete } = await listTrash(bs, mode === "own-only" ? (entry) => !isOurs(entry, ours) : () => false);
  if (complete) {
    const present = new Set(listed.map((entry) => entry.itemId));
    const gone = Object.keys(ctx.journal.data.trashedByUs).filter((id) => !present.has(id));
    ctx.journal.forgetTrashed(gone);
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
  if (decision.warning !== null) rec.warn(decision.warning);
  rec.count("trashItems", trash.length);
  if (decision.empty && ctx.actions) {
    try {
      await ctx.actions.perform(
        "basespaceLifecycle",
        { action: "empty-trash", ids: listed.map((entry) => entry.itemId ?? entry.trashId) },
        () => emptyBasespaceTrash(bs),
      );
      ctx.journal.forgetTrashed(listed.flatMap((entry) => (entry.itemId === null ? [] : [entry.itemId])));
      rec.count("trashEmptied", listed.length);
    } catch (error) {
      rec.error(`emptying the BaseSpace trash failed: ${messageOf(error)}`, failureFactOf(error, "trash"));
    }
  }
  await ctx.journalWriter.save();
  return decision.item;
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
