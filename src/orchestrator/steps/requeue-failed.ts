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

/**
 * Step 2b (`--requeue_failed`): failed BCLConvert analyses are relaunched from their own definition,
 * at most max_requeues times each. The relaunch is a new analysis in the source project, which a later
 * cycle's listing shows and manages like any other once it SUCCEEDED. Every attempt is in the journal,
 * saved before the create call, so that a crash at any point never launches one twice.
 */
export async function requeueFailed(ctx: ListedCycle, rec: StepRecorder): Promise<StepPlan> {
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
  const plan = planRequeues({ ...base, reruns });
  const stepPlan = requeueStepPlan(plan);
  stepPlan.warnings.forEach((warning) => rec.logger.info(warning));
  rec.countPlanned(stepPlan.items);
  rec.count("outsideWindow", plan.outsideWindow);
  for (const item of plan.items) {
    if (item.action === "give-up") rec.error(`${nameOf(item)}: ${item.reason}`);
  }
  if (ctx.actions) await applyRequeues(ctx, ctx.actions, ctx.projects.source.id, plan.items, rec);
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
): Promise<void> {
  for (const item of items) {
    if (item.action === "adopt" && item.newAnalysisId !== undefined) {
      ctx.journal.recordRequeueAttempt(item.analysisId, item.attempt, item.userReference);
      ctx.journal.recordRequeueResult(item.analysisId, item.attempt, item.newAnalysisId);
      rec.count("adopted");
    } else if (item.action === "requeue") {
      await relaunch(ctx, actions, sourceId, item, rec);
    }
  }
  await ctx.journalWriter.save();
}

async function relaunch(ctx: CycleContext, actions: ActionLog, sourceId: string, item: RequeueItem, rec: StepRecorder): Promise<void> {
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
  } catch (error) {
    rec.count("actionsFailed");
    rec.error(`${nameOf(item)}: requeue ${item.attempt} as ${item.userReference} failed: ${messageOf(error)}; the next cycle sends the same attempt again`, failureFactOf(error, item.analysisId));
  }
}

function nameOf(item: RequeueItem): string {
  return item.target.name ?? item.analysisId;
}
