import type { IcaData } from "../ica/schemas.js";
import { samePath } from "../modules/data-transfer/index.js";
import type { Classification, PersonDecision } from "../state/index.js";
import type { CycleContext } from "./cycle-context.js";
import type { BasespaceItem } from "./plan/plan-basespace-lifecycle.js";
import type { StepRecorder } from "./step-recorder.js";

type Seen = Omit<PersonDecision, "detectedAt" | "cycleId">;

/**
 * An item a person brought back from the trash, unarchived or moved after this tool acted on it is
 * that person's decision: it is recorded in the journal, reported once (a warning, and an alert), shown
 * by `status`, and left alone until the operator runs `ica-orchestrator release <id>`.
 */
function note(ctx: CycleContext, rec: StepRecorder, id: string, seen: Seen): void {
  if (ctx.journal.recordPersonDecision(id, { ...seen, cycleId: ctx.cycleId })) {
    rec.warn(`${describeDecision(id, seen)}; left alone until you run \`ica-orchestrator release ${id}\``);
  }
}

export function describeDecision(id: string, decision: Seen): string {
  const what = { "ica-folder": "ICA folder", "bs-dataset": "BaseSpace dataset", "bs-run": "BaseSpace run" }[decision.target];
  return `${what} ${decision.name ?? ""} [${id}]: ${decision.detail} (a person's decision)`;
}

const held = (ctx: CycleContext, id: string): boolean => ctx.journal.data.personDecisions[id] !== undefined;

/**
 * The BaseSpace items the lifecycle may act on: one this tool moved to the trash that is listed live
 * again was restored from the trash by a person. Those, and items already held, are left out.
 */
export function withoutPersonDecisions(ctx: CycleContext, items: readonly BasespaceItem[], rec: StepRecorder): BasespaceItem[] {
  return items.filter((item) => {
    if (ctx.journal.data.trashedByUs[item.id]) noteRestoredFromTrash(ctx, rec, item.id, item.name);
    if (!held(ctx, item.id)) return true;
    rec.count("heldByPerson");
    return false;
  });
}

/**
 * One of ours, no longer in the trash, found live again: a person restored it. A move recorded but never
 * seen to take effect (pending) was most likely never made, so its item is not held: it stays ours to move.
 */
export function noteRestoredFromTrash(ctx: CycleContext, rec: StepRecorder, id: string, name: string): void {
  const trashed = ctx.journal.data.trashedByUs[id];
  if (!trashed || trashed.pending) return;
  ctx.journal.forgetTrashed([id]);
  note(ctx, rec, id, {
    kind: "restored-from-trash",
    target: trashed.kind === "dataset" ? "bs-dataset" : "bs-run",
    name,
    detail: `restored from the trash after this tool moved it there on ${trashed.trashedAt}`,
  });
}

/**
 * Whether an ICA output folder is a person's decision: held already, or found AVAILABLE although this
 * tool recorded it ARCHIVED (and did not unarchive it itself), or under another path than the one it
 * was classified under.
 */
export function heldIcaFolder(
  ctx: CycleContext,
  analysisId: string,
  known: Classification,
  folder: Pick<IcaData, "id" | "path" | "status">,
  rec: StepRecorder,
): boolean {
  const base = { target: "ica-folder" as const, name: folder.path, analysisId };
  if (known.outputStatus?.status === "ARCHIVED" && folder.status === "AVAILABLE" && !ctx.journal.data.pendingIcaDeletes[folder.id]) {
    note(ctx, rec, folder.id, { ...base, kind: "unarchived", detail: `unarchived by someone after it was recorded ARCHIVED on ${known.outputStatus.since}` });
  } else if (known.outputFolderPath !== undefined && !samePath(known.outputFolderPath, folder.path)) {
    note(ctx, rec, folder.id, { ...base, kind: "moved", detail: `moved or renamed from ${known.outputFolderPath}` });
  }
  if (!held(ctx, folder.id)) return false;
  rec.count("heldByPerson");
  return true;
}
