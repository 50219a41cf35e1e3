import pLimit from "p-limit";
import type { LedgerState } from "../../assumptions/index.js";
import type { CanaryKind } from "../../assumptions/canaries.js";
import type { BaseSpaceClient } from "../../basespace/client.js";
import { fallbackPageLimit } from "../../basespace/page-limit.js";
import { isAmbiguousFailure } from "../../http/retry-policy.js";
import { chunk } from "../../modules/data-transfer/index.js";
import { archiveItems, deleteEndpointTrashMover, maxBulkIds, restoreItems, trashBasis } from "../../modules/bssh-utils/index.js";
import type { ActionLog } from "../action-log.js";
import type { CycleContext } from "../cycle-context.js";
import type { ListedCycle } from "../cycle-facts.js";
import { lifecycleCostOf } from "../plan/cost.js";
import { planBasespaceLifecycle, type BasespaceIdSets, type BasespaceItem } from "../plan/plan-basespace-lifecycle.js";
import { isActing, type PlanItem, type StepPlan } from "../plan/plan-types.js";
import { withoutPersonDecisions } from "../person-decisions.js";
import { logProtected } from "../protect-report.js";
import { basespaceStorage } from "../storage-managed.js";
import { auditedRereadCall } from "../reread-before-acting.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { basespaceItems } from "./basespace/basespace-items.js";
import { emptyTrash } from "./basespace/empty-trash.js";
import { rereadBulkBasis } from "./basespace/bulk-basis.js";
import { failureFactOf } from "../failure-facts.js";
import { noteContradiction } from "../contradictions.js";
import { classifyTrashAnswer, gatePlan, learnFromTrashAnswer } from "./basespace/trash-first.js";
import { gateByCanary } from "../plan/canary-gate.js";
import { basespaceCanaryKinds, readBasespacePostcondition, verifyCanaries } from "./verify-canaries.js";

/** What the listings' pages showed of ledger `bs.page-limit` (no call of its own: BaseSpaceClient.pageLimit). */
function learnPageLimit(ctx: ListedCycle, bs: BaseSpaceClient, rec: StepRecorder): void {
  const seen = bs.pageLimit.verdict();
  if (seen?.verdict === "confirmed") ctx.ledger.confirm("bs.page-limit", seen.evidence, ctx.now);
  else if (seen?.verdict === "contradicted") noteContradiction(ctx, rec, { assumption: "bs.page-limit", evidence: seen.evidence });
}

const emptyPlan = (warnings: string[] = []): StepPlan => ({ step: "basespaceLifecycle", items: [], warnings });

/**
 * Step 6: datasets and runs are archived in the archive window; past days_to_delete archived ones
 * are moved to the trash as they are until BaseSpace refuses that (cheap path first), then get one
 * restore request (billed, up to two days; the journal remembers it) and are moved to the trash by a
 * later cycle once restored; available ones at once; then the trash is emptied as `empty_trash`
 * allows. Each kind of action goes first on one item until its canary is confirmed (verify-canaries.ts).
 */
export async function basespaceLifecycle(ctx: ListedCycle, rec: StepRecorder): Promise<StepPlan> {
  const bs = ctx.basespace;
  // From resolve: null skips the step (no token, or its scopes could not be read).
  const scopes = ctx.projects.scopes;
  // The token's user, read with its scopes; null: read here, and only if something would be acted on.
  const userId = ctx.projects.basespaceUserId;
  // What the ICA lifecycle left of the cycle's deletion budget.
  const budget = ctx.budget.forBasespace(ctx.actions);
  if (!bs || !scopes) return emptyPlan(["skipped: no usable BaseSpace token (see resolve)"]);
  if (!scopes.canList) {
    const warning = "skipped: the BaseSpace token can list nothing (it needs READ GLOBAL or BROWSE GLOBAL)";
    rec.warn(warning);
    return emptyPlan([warning]);
  }
  const ledger = ctx.ledger;
  const canaryOn = ctx.settings.canary === "on";
  if (canaryOn) await verifyCanaries(ledger.canaries, basespaceCanaryKinds, readBasespacePostcondition(bs, ctx.now), ctx.now, rec);
  // While bs.page-limit stands contradicted, pages are asked at the size BaseSpace granted, not refused again.
  if (ledger.of("bs.page-limit")?.state === "contradicted") bs.limitPages(fallbackPageLimit);
  const listed = await basespaceItems(ctx, bs, ctx.analyses, rec);
  learnPageLimit(ctx, bs, rec);
  ctx.basespaceStorage = basespaceStorage(listed);
  const items = withoutPersonDecisions(ctx, listed, rec);
  const planFor = (currentUserId?: string) =>
    planBasespaceLifecycle({
      items,
      windows: ctx.windows,
      restoresRequested: restoresRequested(ctx),
      budget,
      protect: ctx.protect,
      scopes,
      cost: lifecycleCostOf(ctx.settings),
      ...(currentUserId !== undefined ? { currentUserId } : {}),
    });
  let plan = planFor(userId ?? undefined);
  // Ownership matters only for items that would be acted on, so an unknown user is read only then.
  if (userId === null && plan.items.some((item) => isActing(item.action))) plan = planFor((await bs.getCurrentUser()).id);
  const canaryGate = { enabled: canaryOn, canaryOf: (kind: CanaryKind) => ledger.canaries.of(kind), kindOf: basespaceCanaryKind };
  plan = { ...plan, items: gateByCanary(gatePlan(plan.items, ledger), canaryGate) };
  plan.warnings.forEach((warning) => rec.warn(warning));
  logProtected(rec.logger, plan.items);
  rec.countPlanned(plan.items);
  if (ctx.actions) {
    const actions = ctx.actions;
    await applyBasespaceLifecycle(ctx, actions, bs, plan.items, items, rec, ledger);
    await ledger.save(() => actions.assertLockHeld());
  }
  const trashItem = await emptyTrash(ctx, bs, { scopes, budget: plan.budget, plannedTrash: plan.items, ...(canaryOn ? { canaries: ledger.canaries } : {}) }, rec);
  // The purge's canary, if it was the first.
  if (ctx.actions) await ledger.save(() => ctx.actions?.assertLockHeld());
  return { step: "basespaceLifecycle", items: trashItem ? [...plan.items, trashItem] : plan.items, warnings: plan.warnings };
}

/**
 * BaseSpace documents restores as taking up to 48 hours. A restore recorded longer ago than this whose
 * item is still archived was most likely never received (the journal is written before the request, so
 * a crash can leave a record without a request); it is planned again rather than waited on forever.
 */
const restoreAssumedLostAfterMs = 3 * 24 * 3600_000;

const basespaceCanaryKind = (item: PlanItem): CanaryKind | undefined =>
  item.action === "archive" || item.action === "restore" || item.action === "trash" || item.action === "empty-trash" ? `bs-${item.action}` : undefined;

function restoresRequested(ctx: CycleContext): BasespaceIdSets {
  const sets = { datasetIds: new Set<string>(), runIds: new Set<string>() };
  for (const [id, restore] of Object.entries(ctx.journal.data.basespaceRestores)) {
    if (ctx.now.getTime() - Date.parse(restore.requestedAt) > restoreAssumedLostAfterMs) continue;
    (restore.kind === "dataset" ? sets.datasetIds : sets.runIds).add(id);
  }
  return sets;
}

type BulkAction = "archive" | "restore";
const bulkCalls = { archive: archiveItems, restore: restoreItems } as const;
const kinds = [
  { target: "bs-dataset", kind: "dataset", idsKey: "datasetIds" },
  { target: "bs-run", kind: "run", idsKey: "runIds" },
] as const;

async function applyBasespaceLifecycle(
  ctx: CycleContext,
  actions: ActionLog,
  bs: BaseSpaceClient,
  planned: readonly PlanItem[],
  items: readonly BasespaceItem[],
  rec: StepRecorder,
  ledger: LedgerState,
): Promise<void> {
  const archived = new Set(items.filter((item) => item.isArchived).map((item) => item.id));
  const names = new Map(items.map((item) => [item.id, item.name]));
  const listed = new Map(items.map((item) => [item.id, item]));
  // An item planned while archived (trashed as it is once bs.trash-archived was contradicted) is expected to be archived.
  for (const action of ["archive", "restore"] as const) {
    for (const { target, kind, idsKey } of kinds) {
      const planIds = planned.filter((item) => item.action === action && item.target.kind === target).map((item) => item.target.id);
      // The bulk endpoints take at most 250 ids; one request each, so each is audited on its own.
      for (const planBatch of chunk(planIds, maxBulkIds)) {
        const batch = await stillAsPlanned(ctx, bs, action, planBatch.flatMap((id) => listed.get(id) ?? []), rec);
        if (batch.length === 0) continue;
        // Restores are billed, so each is recorded before it is asked for: a crash after the request
        // must not lead to a second one. A planned restore is new or presumed lost, so any older record
        // is replaced; a definite rejection takes the record back.
        if (action === "restore") {
          batch.forEach((id) => {
            ctx.journal.clearBasespaceRestore(id);
            ctx.journal.recordBasespaceRestore(id, kind);
          });
          await ctx.journalWriter.save();
        }
        const failure = await bulk(actions, action, batch, () => bulkCalls[action](bs, { [idsKey]: batch }), rec);
        const first = batch[0];
        if (failure === undefined && first !== undefined && ctx.settings.canary === "on") {
          ledger.canaries.applied(`bs-${action}`, { id: first, label: `${kind} ${names.get(first) ?? ""} [${first}]`, kind }, ctx.now);
        }
        if (action === "restore" && failure !== undefined && !isAmbiguousFailure(failure)) {
          batch.forEach((id) => ctx.journal.clearBasespaceRestore(id));
          await ctx.journalWriter.save();
        }
      }
    }
  }
  const trash = planned.filter((item) => item.action === "trash");
  const kindOf = (item: PlanItem) => (item.target.kind === "bs-dataset" ? "dataset" : "run");
  // Recorded before the calls, so a crash during them cannot make our item look like someone else's
  // (which would keep `own-only` from ever emptying the trash). An id recorded for a call that never
  // happened is harmless: it is forgotten once a full trash listing lacks it. One journal write for
  // all of them, not one per item: at thousands of items the writes, not the calls, took the time.
  // A move an earlier cycle recorded but never saw answered may have been made with its answer lost (a
  // crash, a kill): found in the trash now, it is ours, not a person's.
  const recordedEarlier = new Set(trash.map((item) => item.target.id).filter((id) => ctx.journal.data.trashedByUs[id]?.pending === true));
  trash.forEach((item) => ctx.journal.recordTrashed(item.target.id, kindOf(item), names.get(item.target.id)));
  await ctx.journalWriter.save();
  const limit = pLimit(ctx.settings.concurrency);
  const moveAll = (items: readonly PlanItem[]) =>
    Promise.all(
      items.map((item) =>
        limit(async () => {
          const kind = kindOf(item);
          const { id, name } = item.target;
          try {
            const outcome = await auditedRereadCall(actions, "basespaceLifecycle", { action: "trash", ids: [id] }, {
              reread: (called) => trashBasis(bs, { kind, id, archived: archived.has(id), ...(name !== undefined ? { name } : {}) }, called || recordedEarlier.has(id)),
              call: () => deleteEndpointTrashMover(bs, { kind, id }),
            });
            if (outcome.outcome === "done" || (outcome.outcome === "already" && recordedEarlier.has(id))) {
              ctx.journal.confirmTrashed(id);
              learnFromTrashAnswer(ledger, "moved", { id, archived: archived.has(id) }, ctx.now);
              if (outcome.outcome === "done" && ctx.settings.canary === "on") ledger.canaries.applied("bs-trash", { id, label: `${kind} ${name ?? ""} [${id}]`, kind }, ctx.now);
              ctx.journal.clearBasespaceRestore(id);
              rec.count("trashed");
            } else {
              // Not moved by us: whatever is in the trash under this id is someone else's.
              ctx.journal.forgetTrashed([id]);
              rec.count("skippedChanged");
              rec.warn(`trash ${kind} ${name ?? ""} [${id}] skipped: ${outcome.outcome === "skipped" ? outcome.why : "already in the trash"} since it was planned; left alone`);
            }
          } catch (error) {
            const answer = classifyTrashAnswer(error);
            learnFromTrashAnswer(ledger, answer, { id, archived: archived.has(id) }, ctx.now);
            ctx.journal.forgetTrashed([id]);
            if (answer === "refused" && archived.has(id)) {
              // The answer the cheap path asked for, not a failure: from now on archived items are restored first.
              rec.count("trashRefusedArchived");
              rec.logger.info(`BaseSpace refused to trash archived ${kind} ${name ?? ""} [${id}] (bs.trash-archived confirmed): it is restored next cycle`);
              return;
            }
            rec.count("actionsFailed");
            rec.error(`trash ${kind} ${name ?? ""} [${id}] failed: ${messageOf(error)}`, failureFactOf(error, id));
          }
        }),
      ),
    );
  // Archived items after the others: for them a trash move is the cheap path's question (a refusal is the
  // expected answer), asked once the endpoint has been seen at work on data it surely takes.
  await moveAll(trash.filter((item) => !archived.has(item.target.id)));
  await moveAll(trash.filter((item) => archived.has(item.target.id)));
  await ctx.journalWriter.save();
}

/**
 * The ids of a bulk request's items that a read right before it shows unchanged since the listing (see
 * rereadBulkBasis); each other one is reported with what changed and left alone. When the read fails,
 * none: with its precondition unconfirmed the request is not sent, and the failure is an error of the
 * step (log, report, `status`, alert); the next cycle plans the items again from its own listing.
 */
async function stillAsPlanned(ctx: CycleContext, bs: BaseSpaceClient, action: BulkAction, items: readonly BasespaceItem[], rec: StepRecorder): Promise<string[]> {
  let basis;
  try {
    basis = await rereadBulkBasis(bs, items, ctx.now);
  } catch (error) {
    rec.count("notSentUnconfirmed", items.length);
    rec.error(
      `${action} of ${items.length} BaseSpace item(s) not sent: reading them again before the request failed (${messageOf(error)}), so nothing was done; the next cycle plans them again`,
      failureFactOf(error, `${action} re-read`),
    );
    return [];
  }
  for (const { item, why } of basis.dropped) {
    rec.count("skippedChanged");
    rec.warn(`${action} ${item.kind} ${item.name} [${item.id}] skipped: ${why}; left out of the request`);
  }
  return basis.keep.map((item) => item.id);
}

/** One bulk request; the error when it failed (also reported), undefined when it succeeded. */
async function bulk(
  actions: ActionLog,
  action: BulkAction,
  ids: readonly string[],
  call: () => Promise<unknown>,
  rec: StepRecorder,
): Promise<unknown> {
  try {
    await actions.perform("basespaceLifecycle", { action, ids }, call);
    rec.count(action === "archive" ? "archived" : "restoreRequested", ids.length);
    return undefined;
  } catch (error) {
    rec.count("actionsFailed", ids.length);
    rec.error(`${action} of ${ids.length} BaseSpace item(s) failed: ${messageOf(error)}`, failureFactOf(error, action));
    return error ?? new Error("unknown failure");
  }
}
