import { classifyAge, type LifecycleWindows } from "./age.js";
import { applyDeletionCap, capWarning, type DeletionBudget } from "./cap.js";
import { compareText } from "./compare-text.js";
import { actionEffect, archiveSavingPerTb, breakEvenDays, type LifecycleCost } from "./cost.js";
import { formatDays } from "./format.js";
import { decideLifecycle, type LifecycleDecision, type StorageState } from "./lifecycle-decision.js";
import type { ActingAction, PlanItem, PlanStepName, PlanTarget, StepPlan } from "./plan-types.js";
import type { ProtectList } from "./protect.js";

/** One piece of data the lifecycle may act on, in service-neutral terms. */
export interface LifecycleSubject {
  target: PlanTarget;
  analysisId?: string;
  ageDays: number;
  sizeBytes?: number | null;
  state: StorageState;
  /** Shown in reasons, e.g. `AVAILABLE` or `IsArchived=false`. */
  stateLabel: string;
  restoreRequested: boolean;
  /** Ids, names and paths the protect list is matched against. */
  protectKeys: ReadonlyArray<string | null | undefined>;
  /** A protected item inside the target (a file in a folder): acting on the target would take it too. */
  holdsProtected?: { entry: string; path: string };
}

interface LifecycleVerbs {
  archive: ActingAction;
  restore: ActingAction;
  remove: ActingAction;
}

export interface LifecyclePlanOptions {
  step: PlanStepName;
  /** Prefix of warnings, e.g. "ICA lifecycle". */
  label: string;
  windows: LifecycleWindows;
  protect: ProtectList;
  budget: DeletionBudget;
  verbs: LifecycleVerbs;
  /** Why an action cannot be taken (missing scope), or null when it can. */
  blockedBy?: (action: ActingAction) => string | null;
  /** Prices the items; `cost-aware` also leaves alone the archives that cost more than they save. */
  cost?: LifecycleCost;
}


export interface LifecyclePlan extends StepPlan {
  /** What is left of the deletion budget for the next planner of this cycle. */
  budget: DeletionBudget;
}

/**
 * Plans archive/restore/remove for the subjects: age window → decision → protect list → scope → cap.
 * Items come out oldest first (ties by target id), which is also the order the cap is spent in, so the
 * most overdue data goes first. A target listed twice is planned once.
 */
export function planLifecycle(subjects: readonly LifecycleSubject[], options: LifecyclePlanOptions): LifecyclePlan {
  const ordered = [...subjects].sort(
    (a, b) => b.ageDays - a.ageDays || compareText(a.target.kind, b.target.kind) || compareText(a.target.id, b.target.id),
  );
  const seen = new Set<string>();
  const planned: PlanItem[] = [];
  for (const subject of ordered) {
    const key = `${subject.target.kind}:${subject.target.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item = planSubject(subject, options);
    if (item) planned.push(item);
  }
  const capped = applyDeletionCap(planned, options.budget);
  const warnings = [capWarning(capped.deferred, options.budget.cap, options.label)].filter((w) => w !== null);
  return { step: options.step, items: capped.items.map((item) => priced(item, options.cost)), warnings, budget: capped.budget };
}

function planSubject(subject: LifecycleSubject, options: LifecyclePlanOptions): PlanItem | null {
  // Matched before deciding, so an entry counts as used for everything aged the cycle looked at.
  const protectedBy = options.protect.match(subject.protectKeys);
  const window = classifyAge(subject.ageDays, options.windows);
  const decision = decideLifecycle(window, subject.state, subject.restoreRequested);
  if (decision.kind === "none") return null;
  const base = {
    step: options.step,
    target: subject.target,
    ...(subject.analysisId === undefined ? {} : { analysisId: subject.analysisId }),
    ageDays: subject.ageDays,
    ...(subject.sizeBytes == null ? {} : { sizeBytes: subject.sizeBytes }),
  };
  const age = `age ${formatDays(subject.ageDays)}`;
  if (decision.kind === "wait" || decision.kind === "skip") {
    return { ...base, action: decision.kind, reason: `${age}; ${decision.reason}` };
  }

  const action = verbFor(decision, options.verbs);
  if (protectedBy !== null) {
    return { ...base, action: "skip-protected", reason: `protected by '${protectedBy}'; would ${action}` };
  }
  if (subject.holdsProtected) {
    const { entry, path } = subject.holdsProtected;
    return { ...base, action: "skip-protected", reason: `holds ${path}, protected by '${entry}'; would ${action}` };
  }
  const blocked = options.blockedBy?.(action) ?? null;
  if (blocked !== null) return { ...base, action: "skip-scope", reason: `${blocked}; would ${action}` };
  const uneconomic = decision.kind === "archive" ? costAwareSkip(subject.ageDays, options) : null;
  if (uneconomic !== null) return { ...base, action: "skip-cost", reason: `${age}; ${uneconomic}; would ${action}` };
  return { ...base, action, reason: `${age}; ${explain(decision, subject, options)}` };
}

/** Prices what will be done (after the cap: a deferred item costs nothing this cycle). */
function priced(item: PlanItem, cost: LifecycleCost | undefined): PlanItem {
  const effect = cost && item.sizeBytes !== undefined ? actionEffect(item.action, item.sizeBytes, cost.rates) : undefined;
  return effect ? { ...item, icredits: effect } : item;
}

/** Under `cost-aware`, why archiving this now loses iCredits (it is deleted too soon after), or null. */
function costAwareSkip(ageDays: number, { cost, windows }: LifecyclePlanOptions): string | null {
  if (cost?.policy !== "cost-aware") return null;
  const left = windows.daysToDelete - ageDays;
  const saving = archiveSavingPerTb(left, cost.rates);
  if (saving >= 0) return null;
  const breakEven = breakEvenDays(cost.rates);
  const needed = breakEven === null ? "archive storage is not cheaper" : `pays off after ${breakEven} days archived`;
  return `cost-aware: deleted in ${formatDays(left)}, archiving would lose ${-saving} iCredits per TB (${needed})`;
}

type ActingDecision = Exclude<LifecycleDecision, { kind: "none" | "wait" | "skip" }>;

function verbFor(decision: ActingDecision, verbs: LifecycleVerbs): ActingAction {
  if (decision.kind === "archive") return verbs.archive;
  if (decision.kind === "restore") return verbs.restore;
  return verbs.remove;
}

function explain(
  decision: ActingDecision,
  subject: LifecycleSubject,
  { windows, verbs }: LifecyclePlanOptions,
): string {
  if (decision.kind === "archive") return `≥ days_to_archive ${windows.daysToArchive}; ${subject.stateLabel}`;
  const pastDelete = `≥ days_to_delete ${windows.daysToDelete}`;
  if (decision.kind === "restore") {
    return `${pastDelete}; ${subject.stateLabel}: ${verbs.restore} now, ${verbs.remove} in a later cycle`;
  }
  return decision.afterRestore
    ? `${pastDelete}; ${verbs.restore} done (${subject.stateLabel})`
    : `${pastDelete}; ${subject.stateLabel}`;
}
