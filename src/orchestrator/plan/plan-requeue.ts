import type { UserPattern } from "../../config/user-pattern.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { requeueUserReference } from "../../modules/launch/relaunch.js";
import { analysisStateOf } from "../../modules/monitor/analysis-state.js";
import { isBclConvert } from "../../modules/monitor/bcl-convert.js";
import { DAY_MS, parseTimestamp } from "./age.js";
import type { PlanTarget, StepPlan } from "./plan-types.js";
import { runFolderOf, sameRunFolder } from "./same-run.js";

/**
 * Which failed BCLConvert analyses to run again (`--requeue_failed`), from the cycle's one listing and
 * the journal's attempts. Pure: the cycle executes the items.
 *
 * Crash safety: the cycle records an attempt in the journal (and saves it) *before* the create call, and
 * each attempt has a fixed userReference (`<userReference>-requeue-<n>`) and Idempotency-Key. An attempt
 * recorded without an analysis id is looked for in the listing by that userReference: found, it is
 * adopted, never launched again; not found, the same attempt is sent again — ICA answers a replay of the
 * key with the analysis it already created, and the launch module looks the userReference up first.
 *
 * Money: nothing is launched for a run that another BCLConvert analysis — any name, a person's or ours —
 * already covers (queued, running or SUCCEEDED; by run folder here, by input ids through `reruns`), nor
 * twice for one run in a cycle; every launch, a resumed attempt included, needs its failure inside the
 * requeue window; and at most `maxRequeuesPerCycle` launches go out per cycle, the rest wait.
 */

export type RequeueCandidate = Pick<IcaAnalysis, "id" | "reference" | "userReference" | "status" | "pipeline" | "timeCreated" | "endDate">;

/**
 * One relaunch of an original analysis, as the journal keeps it.
 * @internal exported for the tests
 */
export interface RequeueAttempt {
  /** 1, 2, … per original analysis. */
  attempt: number;
  userReference: string;
  /** ISO-8601; when the cycle decided to launch it (recorded before the create call). */
  requestedAt: string;
  /** The new analysis, once ICA answered or the listing showed it. */
  analysisId?: string;
}

/** @internal exported for the tests */
export interface RequeueSettings {
  requeueFailed: boolean;
  /** Relaunches per original analysis; 0 launches none. */
  maxRequeues: number;
  /** Only failures that ended less than this many days ago start a requeue; null = no limit. */
  requeueWithinDays: number | null;
  /** Launches per cycle, all analyses together; the others are `deferred` to a later cycle. */
  maxRequeuesPerCycle: number;
}

export interface RequeuePlanInput<A extends RequeueCandidate> {
  analyses: readonly A[];
  /** The journal's attempts, by original analysis id. */
  attempts: Readonly<Record<string, readonly RequeueAttempt[]>>;
  settings: RequeueSettings;
  now: Date;
  /** BCLConvert pipeline-code pattern; the monitor module's default when absent. */
  pipelinePattern?: UserPattern;
  /** Another analysis of the same run found by its input ids (the launch module's findRerunsByInputs), by original id. */
  reruns?: ReadonlyMap<string, RequeueCandidate>;
}

/**
 * - `requeue`: record the attempt, then launch it (relaunchAnalysis with userReference and idempotencyKey).
 * - `adopt`: the attempt exists in ICA but the journal lacks its id (a crash): record `newAnalysisId`, launch nothing.
 * - `wait`: the latest attempt is still running.
 * - `give-up`: every allowed attempt failed (or the last one vanished): people have to look.
 * - `skip-rerun`: another analysis of the same run is queued, running or SUCCEEDED (`newAnalysisId`): launch nothing.
 * - `skip-cap`: would be launched, but this cycle's `maxRequeuesPerCycle` launches are planned already.
 * - `wait` and `skip` also come from the canary (canary-gate.ts): a launch held until the first relaunch
 *   is confirmed, or stopped because it was contradicted.
 */
type RequeueAction = "requeue" | "adopt" | "wait" | "give-up" | "skip-rerun" | "skip-cap" | "skip";

export interface RequeueItem {
  action: RequeueAction;
  /** The original (failed) analysis. */
  target: PlanTarget;
  analysisId: string;
  attempt: number;
  /** For `requeue`: what to launch with. Also set on the other actions, for the report. */
  userReference: string;
  idempotencyKey: string;
  /** For `adopt` and `wait`: the attempt's analysis. */
  newAnalysisId?: string;
  /** `requeue` of an attempt already recorded (the cycle that recorded it did not get an answer). */
  resumed?: boolean;
  reason: string;
}

export interface RequeuePlan {
  items: RequeueItem[];
  /** Failed BCLConvert analyses left alone because they ended before the requeue window. */
  outsideWindow: number;
}

/**
 * A recorded attempt whose analysis the listing does not show is given this long before it counts as gone.
 * @internal exported for the tests
 */
export const attemptListingGraceMs = 3_600_000;

const requeueSuffix = /-requeue-\d+$/;
const failedStatuses = new Set(["FAILED", "FAILED_FINAL"]);

const requeueIdempotencyKey = (originalId: string, attempt: number): string => `requeue-${originalId}-${attempt}`;

interface KnownAttempt extends RequeueAttempt {
  listed?: RequeueCandidate;
}

export function planRequeues<A extends RequeueCandidate>(input: RequeuePlanInput<A>): RequeuePlan {
  const byId = new Map(input.analyses.map((a) => [a.id, a]));
  const byUserReference = new Map<string, A>();
  for (const a of input.analyses) if (!byUserReference.has(a.userReference)) byUserReference.set(a.userReference, a);
  const attemptIds = new Set<string>();
  const attemptRefs = new Set<string>();
  for (const attempts of Object.values(input.attempts)) {
    for (const a of attempts) {
      attemptRefs.add(a.userReference);
      if (a.analysisId !== undefined) attemptIds.add(a.analysisId);
    }
  }
  // A relaunch is never an original, even when the journal that knew it was lost.
  const isAttempt = (a: A): boolean => attemptIds.has(a.id) || attemptRefs.has(a.userReference) || requeueSuffix.test(a.userReference);

  const plan: RequeuePlan = { items: [], outsideWindow: 0 };
  const seen = new Set<string>();
  // Run folders given a launch this cycle: a second failed analysis of the same run waits for it.
  const launching = new Map<string, RequeueCandidate>();
  let launches = 0;
  for (const original of input.analyses) {
    if (seen.has(original.id)) continue;
    seen.add(original.id);
    if (!failedStatuses.has(original.status) || !isBclConvert(original, input.pipelinePattern) || isAttempt(original)) continue;
    const attempts = knownAttempts(original, input.attempts[original.id] ?? [], input.settings.maxRequeues, byId, byUserReference);
    const folder = runFolderOf(original);
    const rerun =
      input.reruns?.get(original.id) ??
      sameRunFolder(original, input.analyses.filter((a) => !isOwnAttempt(a, attempts)), input.pipelinePattern) ??
      (folder !== null ? launching.get(folder) : undefined);
    const item = decide(original, attempts, rerun, input);
    if (item === "outside-window") {
      plan.outsideWindow += 1;
      continue;
    }
    if (!item) continue;
    if (item.action === "requeue") {
      if (folder !== null) launching.set(folder, original);
      launches += 1;
      if (launches > input.settings.maxRequeuesPerCycle) {
        item.action = "skip-cap";
        item.reason = `${item.reason}; deferred: max_requeues_per_cycle (${input.settings.maxRequeuesPerCycle}) launches are planned this cycle already`;
      }
    }
    plan.items.push(item);
  }
  return plan;
}

/** The original's own relaunches are judged by its attempts (wait, adopt, give-up), not as another analysis of the run. */
function isOwnAttempt(analysis: RequeueCandidate, attempts: readonly KnownAttempt[]): boolean {
  return attempts.some((a) => a.listed?.id === analysis.id);
}

/** The journal's attempts, completed with any `-requeue-<n>` analysis of the listing the journal does not know. */
function knownAttempts<A extends RequeueCandidate>(
  original: A,
  recorded: readonly RequeueAttempt[],
  maxRequeues: number,
  byId: ReadonlyMap<string, A>,
  byUserReference: ReadonlyMap<string, A>,
): KnownAttempt[] {
  const attempts = new Map<number, KnownAttempt>(recorded.map((a) => [a.attempt, { ...a }]));
  const highest = Math.max(maxRequeues, ...attempts.keys());
  for (let n = 1; n <= highest; n++) {
    const known = attempts.get(n);
    const userReference = known?.userReference ?? requeueUserReference(original.userReference, n);
    const listed = (known?.analysisId !== undefined ? byId.get(known.analysisId) : undefined) ?? byUserReference.get(userReference);
    if (listed) attempts.set(n, { ...(known ?? { attempt: n, userReference, requestedAt: listed.timeCreated }), listed });
  }
  return [...attempts.values()].sort((a, b) => a.attempt - b.attempt);
}

function decide(
  original: RequeueCandidate,
  attempts: readonly KnownAttempt[],
  rerun: RequeueCandidate | undefined,
  input: RequeuePlanInput<RequeueCandidate>,
): RequeueItem | "outside-window" | undefined {
  const { settings, now } = input;
  const last = attempts.at(-1);
  const item = (action: RequeueAction, attempt: number, reason: string, extra: Partial<RequeueItem> = {}): RequeueItem => ({
    action,
    target: { kind: "analysis", id: original.id, name: original.reference },
    analysisId: original.id,
    attempt,
    userReference: requeueUserReference(original.userReference, attempt),
    idempotencyKey: requeueIdempotencyKey(original.id, attempt),
    reason,
    ...extra,
  });
  const launchNext = (failure: RequeueCandidate, why: string): RequeueItem | "outside-window" | undefined => {
    const attempt = (last?.attempt ?? 0) + 1;
    if (!settings.requeueFailed) return undefined;
    // Also ends the give-up reports of old failures, which would otherwise repeat every cycle.
    if (!withinWindow(failure, settings.requeueWithinDays, now)) return "outside-window";
    if (rerun) return rerunExists(attempt);
    if (attempt > settings.maxRequeues) {
      return last ? item("give-up", last.attempt, `${why}; all ${settings.maxRequeues} requeue(s) used: look at the logs in ICA`) : undefined;
    }
    return item("requeue", attempt, `${why}: requeue ${attempt} of ${settings.maxRequeues}`);
  };

  const rerunExists = (attempt: number): RequeueItem =>
    item("skip-rerun", attempt, `another BCLConvert analysis of this run, ${rerun?.reference ?? "?"} (${rerun?.status ?? "?"}), exists: not launching`, {
      ...(rerun ? { newAnalysisId: rerun.id } : {}),
    });

  if (!last) return launchNext(original, original.status);
  const extra = { userReference: last.userReference, ...(last.listed ? { newAnalysisId: last.listed.id } : {}) };
  if (last.listed && last.analysisId === undefined) {
    return item("adopt", last.attempt, `attempt ${last.attempt} exists in ICA (${last.listed.status}) but the journal lacks its id: record it`, extra);
  }
  if (last.listed) {
    const state = analysisStateOf(last.listed.status);
    if (state === "done") return undefined;
    if (state === "failed") return launchNext(last.listed, `attempt ${last.attempt} ${last.listed.status}`);
    return item("wait", last.attempt, `attempt ${last.attempt} is ${last.listed.status}`, extra);
  }
  if (last.analysisId === undefined) {
    if (!settings.requeueFailed) return undefined;
    // The window holds for a resumed attempt too: one whose launch kept failing is dropped once its failure is old.
    const failure = attempts.find((a) => a.attempt === last.attempt - 1)?.listed ?? original;
    if (!withinWindow(failure, settings.requeueWithinDays, now)) return "outside-window";
    if (rerun) return rerunExists(last.attempt);
    return item("requeue", last.attempt, `attempt ${last.attempt} was recorded but no analysis has its userReference: send it again`, {
      ...extra,
      resumed: true,
    });
  }
  const age = now.getTime() - parseTimestamp(last.requestedAt).getTime();
  if (age < attemptListingGraceMs) return item("wait", last.attempt, `attempt ${last.attempt} (${last.analysisId}) is not listed yet`, extra);
  return item("give-up", last.attempt, `attempt ${last.attempt} (${last.analysisId}) is no longer listed (deleted?): not requeueing again`, extra);
}

/** Whether a failure is recent enough to start a requeue: the window protects history when the option is first turned on. */
function withinWindow(failure: RequeueCandidate, days: number | null, now: Date): boolean {
  if (days === null) return true;
  const ended = parseTimestamp(failure.endDate ?? failure.timeCreated);
  return now.getTime() - ended.getTime() < days * DAY_MS;
}

/**
 * The plan as the cycle's other steps give theirs, so `plan` / `--dry_run` and the report show it: each
 * item as a PlanItem (the name it is launched under in the reason) and the failures left alone for
 * their age as a warning.
 */
export function requeueStepPlan(plan: RequeuePlan): StepPlan {
  const outside = plan.outsideWindow > 0 ? [`${plan.outsideWindow} older failure(s) outside the requeue window (requeue_within_days) left alone`] : [];
  const launches = plan.items.filter((item) => item.action === "requeue").length;
  const cost = launches > 0 ? [launchCostLine(launches)] : [];
  return {
    step: "requeue",
    items: plan.items.map((item) => ({
      step: "requeue",
      action: item.action,
      target: item.target,
      analysisId: item.analysisId,
      reason: `${item.reason} (as ${item.userReference})`,
    })),
    warnings: [...cost, ...outside],
  };
}

/**
 * What the planned launches will cost, said before they happen. This tool reads no price: ICA tells an
 * analysis' price only once it has finished (`GET /api/projects/{projectId}/analyses/{analysisId}/usage`),
 * and the notes hold only storage prices. So the estimate is in runs: each launch is one more full
 * BCLConvert run of the original's pipeline, inputs and storage size.
 * @internal exported for the tests
 */
export function launchCostLine(launches: number): string {
  return (
    `${launches} BCLConvert launch(es) planned this cycle; estimated cost: ${launches} full BCLConvert run(s) of compute and storage ` +
    "(estimate basis: each launch repeats the failed analysis' own pipeline, inputs and storage size; no price source is read — " +
    "ICA reports an analysis' iCredits only after it finished)"
  );
}
