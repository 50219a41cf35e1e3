import pLimit from "p-limit";
import type { LedgerState } from "../../assumptions/index.js";
import type { CanaryKind } from "../../assumptions/canaries.js";
import { ConflictError } from "../../http/errors.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { statusOfFilesUnder } from "../../modules/outputs/index.js";
import type { Classification } from "../../state/index.js";
import type { ActionLog } from "../action-log.js";
import { noteCollected, noteContradiction, stoppedBecause } from "../contradictions.js";
import type { CycleContext } from "../cycle-context.js";
import { deliveryHolds, type ListedCycle } from "../cycle-facts.js";
import { logProtected } from "../protect-report.js";
import { readSubjectFiles } from "../protected-contents.js";
import { analysisAgeDays, classifyAge } from "../plan/age.js";
import { lifecycleCostOf } from "../plan/cost.js";
import { movedFolderProblem } from "../plan/identity.js";
import { planIcaLifecycle, type IcaManagedAnalysis } from "../plan/plan-ica-lifecycle.js";
import type { LifecyclePlan } from "../plan/plan-lifecycle.js";
import type { PlanItem } from "../plan/plan-types.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { heldIcaFolder } from "../person-decisions.js";
import { checkLinksAfterDelete } from "./links-after-delete.js";
import { rereadIcaAction } from "./reread-ica-action.js";
import { failureFactOf } from "../failure-facts.js";
import { gateByCanary } from "../plan/canary-gate.js";
import { cheapPathFirst } from "../plan/cheap-path.js";
import { icaCanaryKinds, readIcaPostcondition, verifyCanaries } from "./verify-canaries.js";

/**
 * Step 5: output folders of ICA-managed analyses are archived in the archive window and deleted past
 * days_to_delete — archived ones deleted as they are until ICA refuses that (cheap path first), then
 * unarchived first and deleted by a later cycle once AVAILABLE. Folders the journal knows to be archived
 * (and still short of days_to_delete) or deleted cost no call; the rest are read many at a time. Each
 * kind of action goes first on one folder until its canary is confirmed (verify-canaries.ts).
 */
export async function icaLifecycle(ctx: ListedCycle, rec: StepRecorder): Promise<LifecyclePlan> {
  const ledger = ctx.ledger;
  const canaryOn = ctx.settings.canary === "on";
  if (canaryOn) await verifyCanaries(ledger.canaries, icaCanaryKinds, readIcaPostcondition(ctx.ica), ctx.now, rec);
  // Folders judged by their files: the folder itself still says AVAILABLE, and the re-read before each call sees that.
  const judgedByFiles = new Set<string>();
  await checkLinksAfterDelete(ctx, rec);
  const { read, held } = await lifecycleSubjects(ctx, rec, judgedByFiles);
  const subjects = [...(await readSubjectFiles(ctx, ctx.projects.source.id, read)), ...held];
  const planned = planIcaLifecycle({
    analyses: subjects,
    windows: ctx.windows,
    unarchiveRequested: new Set(Object.keys(ctx.journal.data.pendingIcaDeletes)),
    budget: ctx.budget.initial,
    protect: ctx.protect,
    cost: lifecycleCostOf(ctx.settings),
  });
  const seen = ledger.of("ica.delete-archived")?.state;
  const cheap = cheapPathFirst(planned.items, {
    restore: "unarchive",
    remove: "delete",
    answer: seen === "confirmed" ? "refused" : seen === "contradicted" ? "allowed" : undefined,
    assumption: "ica.delete-archived",
  });
  const items = gateByCanary(gateByLedger(cheap.items, ctx), { enabled: canaryOn, canaryOf: (kind) => ledger.canaries.of(kind), kindOf: icaCanaryKind });
  const plan = { ...planned, items };
  plan.warnings.forEach((warning) => rec.warn(warning));
  logProtected(rec.logger, plan.items);
  rec.countPlanned(plan.items);
  const actions = ctx.actions;
  if (actions) {
    const learned = { ledger, canaryOn, deletedArchived: cheap.removedArchived };
    await applyIcaLifecycle(ctx, actions, ctx.projects.source.id, plan.items, rec, judgedByFiles, learned);
    await ledger.save(() => actions.assertLockHeld());
  }
  ctx.budget.settleIca(plan.budget);
  return plan;
}

const icaCanaryKind = (item: PlanItem): CanaryKind | undefined =>
  item.action === "archive" || item.action === "unarchive" || item.action === "delete" ? `ica-${item.action}` : undefined;

/** What the apply step learns from ICA's answers, and what it needs to know to learn it. */
interface IcaLearning {
  ledger: LedgerState;
  canaryOn: boolean;
  /** Folders planned for `:delete` while ARCHIVED (the cheap path): ICA's answer settles ica.delete-archived. */
  deletedArchived: ReadonlySet<string>;
}

/** The lifecycle's subjects: those whose folders were read, and those held for delivery, taken from the journal unread. */
interface Subjects {
  read: IcaManagedAnalysis[];
  held: IcaManagedAnalysis[];
}

async function lifecycleSubjects(ctx: ListedCycle, rec: StepRecorder, judgedByFiles: Set<string>): Promise<Subjects> {
  // Analyses not delivered yet, or delivered too recently for the recipient: their folders wait.
  const holds = deliveryHolds(ctx);
  const held: IcaManagedAnalysis[] = [];
  const toRead: Array<{ analysis: IcaAnalysis; ageDays: number; folderId: string; folderPath?: string; known: Classification }> = [];
  for (const analysis of ctx.analyses) {
    const known = ctx.journal.data.classifications[analysis.id];
    if (known?.kind !== "ica" || known.outputFolderId === undefined) continue;
    const ageDays = analysisAgeDays(analysis, ctx.now);
    const window = classifyAge(ageDays, ctx.windows);
    if (window === "young" || known.outputStatus?.status === "DELETED") continue;
    if (known.outputStatus?.status === "ARCHIVED" && window === "archive") {
      rec.count("archivedEarlier");
      continue;
    }
    const hold = holds.get(analysis.id);
    if (hold !== undefined && known.outputFolderPath !== undefined && ctx.journal.data.personDecisions[known.outputFolderId] === undefined) {
      // The plan waits whatever the folder says, so it is read (moved? gone? someone unarchived it?) only
      // once the hold ends: a steady cycle re-read every delivered folder for min_days_after_delivery.
      const status = known.outputStatus?.status ?? "AVAILABLE";
      const sizeBytes = ctx.journal.data.outputBytes[analysis.id] ?? null;
      const outputFolder = { id: known.outputFolderId, path: known.outputFolderPath, status, sizeBytes };
      held.push({ analysisId: analysis.id, reference: analysis.reference, userReference: analysis.userReference, ageDays, outputFolder, hold });
      rec.count("heldUnread");
      continue;
    }
    toRead.push({ analysis, ageDays, folderId: known.outputFolderId, known, ...(known.outputFolderPath !== undefined ? { folderPath: known.outputFolderPath } : {}) });
  }
  const folders = await ctx.outputFolders.byIds(toRead.map((s) => s.folderId));
  noteCollected(ctx, rec, ctx.outputFolders.contradictions);
  const subjects: IcaManagedAnalysis[] = [];
  for (const { analysis, ageDays, folderId, folderPath, known } of toRead) {
    const listed = folders.get(folderId);
    const folder = listed && (await withStatusOfItsFiles(ctx, ctx.projects.source.id, analysis.id, listed, rec));
    if (folder && listed && folder.status !== listed.status) judgedByFiles.add(folder.id);
    if (!folder) {
      rec.warn(`${analysis.reference}: output folder ${folderId} is gone from the source project; nothing left to do`, {
        key: "output folder gone from the source project: nothing left to do",
        analysisId: analysis.id,
      });
      ctx.journal.recordOutputStatus(analysis.id, "DELETED");
      ctx.journal.clearIcaDelete(folderId);
      continue;
    }
    const moved = movedFolderProblem(analysis.reference, folderPath, folder);
    if (moved !== null) {
      rec.warn(moved, { key: "output folder moved or renamed: left alone", analysisId: analysis.id });
      continue;
    }
    if (heldIcaFolder(ctx, analysis.id, known, folder, rec)) continue;
    const window = classifyAge(ageDays, ctx.windows);
    // Found archived inside the archive window: nothing to do until days_to_delete, so no look until then.
    if (folder.status === "ARCHIVED" && window === "archive") {
      ctx.journal.recordOutputStatus(analysis.id, "ARCHIVED");
    }
    // A cycle killed between `:unarchive` and its journal write leaves the folder UNARCHIVING with no
    // pending delete on record, and the planner only waits on UNARCHIVING. The folder's state proves
    // the request was made, so adopt it; otherwise the delete it was made for would never happen.
    if (folder.status === "UNARCHIVING" && window === "delete") {
      ctx.journal.requestIcaDelete(folder.id, { projectId: ctx.projects.source.id, analysisId: analysis.id, path: folder.path });
    }
    subjects.push({
      analysisId: analysis.id,
      reference: analysis.reference,
      userReference: analysis.userReference,
      ageDays,
      outputFolder: { id: folder.id, path: folder.path, status: folder.status, sizeBytes: folder.sizeBytes },
      ...(holds.has(analysis.id) ? { hold: holds.get(analysis.id) } : {}),
    });
  }
  // Sizes and protected files come from one listing of their files (readSubjectFiles).
  return { read: subjects, held };
}

/**
 * A folder we archived that still says AVAILABLE (and is not being unarchived for a delete) is judged
 * by its files: ICA does not document that a folder's status follows them (ledger `ica.folder-status`),
 * and trusting the folder would archive it again every cycle and send `:delete` onto archived files.
 * Costs one listing, only in that case, so a cycle in a world where folders do follow pays nothing.
 */
async function withStatusOfItsFiles<F extends { id: string; path: string; status: string }>(
  ctx: CycleContext,
  sourceId: string,
  analysisId: string,
  folder: F,
  rec: StepRecorder,
): Promise<F> {
  const archivedByUs = ctx.journal.data.classifications[analysisId]?.outputStatus?.status === "ARCHIVED";
  if (folder.status !== "AVAILABLE" || !archivedByUs || ctx.journal.data.pendingIcaDeletes[folder.id] !== undefined) return folder;
  const files = await statusOfFilesUnder(ctx.ica, sourceId, folder);
  if (files === undefined || files === folder.status) return folder;
  noteContradiction(ctx, rec, {
    assumption: "ica.folder-status",
    evidence: `output folder ${folder.path} says ${folder.status} while its files say ${files}`,
  });
  return { ...folder, status: files };
}

const kindOf = { archive: "ica-archive", unarchive: "ica-unarchive", delete: "ica-delete" } as const;

/** Planned archives, unarchives and deletes as the ledger lets them go: a contradicted entry stops the kind it gates. */
function gateByLedger(items: readonly PlanItem[], ctx: CycleContext): PlanItem[] {
  return items.map((item) => {
    const kind = item.action === "archive" || item.action === "unarchive" || item.action === "delete" ? kindOf[item.action] : undefined;
    const stopped = kind === undefined ? undefined : stoppedBecause(ctx.ledger, kind);
    return stopped === undefined ? item : { ...item, action: "skip", reason: stopped };
  });
}

async function applyIcaLifecycle(
  ctx: CycleContext,
  actions: ActionLog,
  sourceId: string,
  items: readonly PlanItem[],
  rec: StepRecorder,
  judgedByFiles: ReadonlySet<string>,
  { ledger, canaryOn, deletedArchived }: IcaLearning,
): Promise<void> {
  const limit = pLimit(ctx.settings.concurrency);
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        const { id, path } = item.target;
        const analysisId = item.analysisId as string;
        if (item.action !== "archive" && item.action !== "unarchive" && item.action !== "delete") return;
        const archivedDelete = deletedArchived.has(id);
        const folderSays = judgedByFiles.has(id) ? "AVAILABLE" : archivedDelete ? "ARCHIVED" : undefined;
        try {
          const outcome = await rereadIcaAction(ctx, actions, sourceId, item, item.action, folderSays);
          if (outcome.outcome === "done" && canaryOn) ledger.canaries.applied(`ica-${item.action}`, { id, label: path ?? id, projectId: sourceId }, ctx.now);
          if (outcome.outcome === "done" && archivedDelete) {
            const contradiction = { assumption: "ica.delete-archived", evidence: `:delete of ARCHIVED ${path ?? id} was accepted: no unarchive is needed` };
            noteContradiction(ctx, rec, contradiction);
          }
          if (outcome.outcome === "skipped") {
            rec.count("skippedChanged");
            rec.warn(`${item.action} ${path ?? id} skipped: ${outcome.why} since it was planned; left alone`);
          } else if (item.action === "archive") {
            ctx.journal.recordOutputStatus(analysisId, "ARCHIVED");
            rec.count("archived");
          } else if (item.action === "unarchive") {
            // Recorded after the call (recorded before, a lost call would wait forever); a crash in
            // between is recovered by lifecycleSubjects, which adopts a folder found UNARCHIVING.
            ctx.journal.requestIcaDelete(id, { projectId: sourceId, analysisId, ...(path !== undefined ? { path } : {}) });
            rec.count("unarchiveRequested");
          } else {
            ctx.journal.recordOutputStatus(analysisId, "DELETED");
            ctx.journal.clearIcaDelete(id);
            rec.count("deleted");
          }
        } catch (error) {
          if (archivedDelete && error instanceof ConflictError) {
            // The answer the cheap path asked for, not a failure: from now on archived folders are unarchived first.
            ledger.confirm("ica.delete-archived", `:delete of ARCHIVED ${path ?? id} answered 409`, ctx.now);
            rec.count("deleteRefusedArchived");
            rec.logger.info(`ICA refused to delete ${path ?? id} while ARCHIVED (ica.delete-archived confirmed): it is unarchived next cycle`);
            return;
          }
          rec.count("actionsFailed");
          rec.error(`${item.action} ${path ?? id} failed: ${messageOf(error)}`, failureFactOf(error, id));
        }
        // Saved outside the concurrency slot: the next call need not wait for the journal write.
      }).then(() => ctx.journalWriter.save()),
    ),
  );
}
