import type { CanaryKind } from "../../assumptions/canaries.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { AnalysisInputs, findRerunByInputs, relaunchAnalysis } from "../../modules/launch/index.js";
import type { ActionLog } from "../action-log.js";
import type { CycleContext } from "../cycle-context.js";
import type { ListedCycle } from "../cycle-facts.js";
import type { StepPlan } from "../plan/plan-types.js";
import { planRequeues, requeueStepPlan, type RequeueItem } from "../plan/plan-requeue.js";
import { inputCheckCandidates } from "../plan/same-run.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { failureFactOf } from "../failure-facts.js";
import { gateByCanary } from "../plan/canary-gate.js";
import { readRelaunchPostcondition } from "./relaunch-postcondition.js";
import { verifyCanaries } from "./verify-canaries.js";

/**
 * Step 2b (`--requeue_failed`): failed BCLConvert analyses are relaunched from their own definition,
 * at most max_requeues times each. The relaunch is a new analysis in the source project, which a later
 * cycle's listing shows and manages like any other once it SUCCEEDED. Every attempt is in the journal,
 * saved before the create call, so that a crash at any point never launches one twice. Launches are
 * billed, so the first against an account goes alone (canary `ica-relaunch`) and the rest follow once a
 * later cycle has read it back as started (relaunch-postcondition.ts).
 */
export async function requeueFailed(ctx: ListedCycle, rec: StepRecorder): Promise<StepPlan> {
  const canaryOn = ctx.settings.canary === "on";
  if (canaryOn && ctx.settings.requeueFailed) {
    await verifyCanaries(ctx.ledger.canaries, ["ica-relaunch"], readRelaunchPostcondition(ctx), ctx.now, rec);
    // The canary's read-back is what the ledger entry names as its observable: `status` shows it confirmed.
    const seen = ctx.ledger.canaries.of("ica-relaunch");
    if (seen?.state === "confirmed") ctx.ledger.confirm("ica.relaunch-definition", seen.evidence, ctx.now);
  }
  const base = {
    analyses: ctx.analyses,
    attempts: ctx.journal.data.requeues,
    settings: ctx.settings,
    now: ctx.now,
    pipelinePattern: ctx.settings.bclConvertPattern,
  };
  // Every launch the listing alone allows is first checked by input ids (read-only, dry runs too), so the
  // per-cycle cap counts only launches that will really go out.
  const uncapped = planRequeues({ ...base, settings: { ...ctx.settings, maxRequeuesPerCycle: Number.POSITIVE_INFINITY } });
  const reruns = await rerunsByInputs(ctx, uncapped.items.filter((item) => item.action === "requeue"));
  const planned = planRequeues({ ...base, reruns });
  const canaryGate = { enabled: canaryOn, canaryOf: (kind: CanaryKind) => ctx.ledger.canaries.of(kind), kindOf: () => "ica-relaunch" as const };
  const plan = { ...planned, items: gateByCanary(planned.items, canaryGate) };
  const stepPlan = requeueStepPlan(plan);
  stepPlan.warnings.forEach((warning) => rec.logger.info(warning));
  rec.countPlanned(stepPlan.items);
  rec.count("outsideWindow", plan.outsideWindow);
  for (const item of plan.items) {
    if (item.action === "give-up") rec.error(`${nameOf(item)}: ${item.reason}`);
  }
  const actions = ctx.actions;
  if (actions) {
    await applyRequeues(ctx, actions, ctx.projects.source.id, plan.items, rec, canaryOn);
    await ctx.ledger.save(() => actions.assertLockHeld());
  }
  return stepPlan;
}

/** For each planned launch, another analysis of its run named so that its reference does not tell, found by input ids. */
async function rerunsByInputs(ctx: ListedCycle, launches: readonly RequeueItem[]): Promise<Map<string, IcaAnalysis>> {
  const inputs = new AnalysisInputs(ctx.ica, ctx.projects.source.id);
  const byId = new Map(ctx.analyses.map((a) => [a.id, a]));
  const reruns = new Map<string, IcaAnalysis>();
  for (const item of launches) {
    const original = byId.get(item.analysisId);
    if (!original) continue;
    // The original's own attempts are all failed here (a live one makes the item `wait`), so none is a candidate.
    const rerun = await findRerunByInputs(inputs, original.id, inputCheckCandidates(original, ctx.analyses, ctx.settings.bclConvertPattern));
    if (rerun) reruns.set(original.id, rerun);
  }
  return reruns;
}

async function applyRequeues(
  ctx: CycleContext,
  actions: ActionLog,
  sourceId: string,
  items: readonly RequeueItem[],
  rec: StepRecorder,
  canaryOn: boolean,
): Promise<void> {
  for (const item of items) {
    if (item.action === "adopt" && item.newAnalysisId !== undefined) {
      ctx.journal.recordRequeueAttempt(item.analysisId, item.attempt, item.userReference);
      ctx.journal.recordRequeueResult(item.analysisId, item.attempt, item.newAnalysisId);
      rec.count("adopted");
    } else if (item.action === "requeue") {
      const launched = await relaunch(ctx, actions, sourceId, item, rec);
      if (launched !== undefined && canaryOn) ctx.ledger.canaries.applied("ica-relaunch", { id: launched, label: item.userReference, projectId: sourceId }, ctx.now);
    }
  }
  await ctx.journalWriter.save();
}

/** The launched analysis' id, or undefined when the launch failed (reported; the next cycle sends it again). */
async function relaunch(ctx: CycleContext, actions: ActionLog, sourceId: string, item: RequeueItem, rec: StepRecorder): Promise<string | undefined> {
  ctx.journal.recordRequeueAttempt(item.analysisId, item.attempt, item.userReference);
  // Saved before the call: a cycle killed during it finds the attempt and never starts a second one.
  await ctx.journalWriter.save();
  try {
    const result = await actions.perform("requeue", { action: "requeue", ids: [item.analysisId] }, () =>
      relaunchAnalysis(ctx.ica, sourceId, item.analysisId, { userReference: item.userReference, idempotencyKey: item.idempotencyKey }),
    );
    ctx.journal.recordRequeueResult(item.analysisId, item.attempt, result.analysis.id);
    await ctx.journalWriter.save();
    rec.count(result.created ? "requeued" : "adopted");
    const lost = result.notCarriedOver.length > 0 ? `; not carried over: ${result.notCarriedOver.join("; ")}` : "";
    rec.logger.info(`${nameOf(item)}: attempt ${item.attempt} is analysis ${result.analysis.reference} (${result.analysis.id})${lost}`);
    return result.analysis.id;
  } catch (error) {
    rec.count("actionsFailed");
    rec.error(`${nameOf(item)}: requeue ${item.attempt} as ${item.userReference} failed: ${messageOf(error)}; the next cycle sends the same attempt again`, failureFactOf(error, item.analysisId));
    return undefined;
  }
}

function nameOf(item: RequeueItem): string {
  return item.target.name ?? item.analysisId;
}
