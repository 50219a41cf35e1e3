import type { IcreditEffect, IcreditRates } from "./cost.js";

/**
 * The plan a cycle step produces before it acts. Every planner in this folder returns plain data of
 * these types, so the cycle can execute it, `--dry_run` can print it and the report can count it.
 */

/** The cycle steps that plan actions (the others only read). */
export type PlanStepName = "requeue" | "manageNew" | "icaLifecycle" | "basespaceLifecycle";

/** Actions that change something when executed. */
const actingActions = [
  "requeue",
  "link",
  "upload-manifest",
  "record",
  "archive",
  "unarchive",
  "delete",
  "restore",
  "trash",
  "empty-trash",
] as const;

/**
 * Items that explain why nothing is done (yet) to a target; executing them calls no service (`adopt`
 * only writes down, in the journal, a relaunch ICA already has; `give-up` is reported as an error).
 */

export type ActingAction = (typeof actingActions)[number];
type PassiveAction =
  | "wait"
  | "skip-protected"
  | "skip-cap"
  | "skip-scope"
  | "skip-rerun"
  | "skip-cost"
  | "skip"
  | "adopt"
  | "give-up";
export type PlanAction = ActingAction | PassiveAction;

type TargetKind =
  | "analysis"
  | "ica-folder"
  | "manifest"
  | "bs-dataset"
  | "bs-run"
  | "bs-trash";

export interface PlanTarget {
  kind: TargetKind;
  /** ICA data id, analysis id, BaseSpace dataset/run id; `trash` for the whole BaseSpace trash. */
  id: string;
  /** ICA path (folders end with `/`), when the target has one. */
  path?: string;
  /** Human name (file, dataset, run), when it differs from the path's last segment. */
  name?: string;
}

export interface PlanItem<A extends PlanAction = PlanAction> {
  step: PlanStepName;
  action: A;
  target: PlanTarget;
  /** The ICA analysis this item belongs to, when there is one. */
  analysisId?: string;
  /** Fractional days (see age.ts); absent when age does not apply (e.g. linking). */
  ageDays?: number;
  sizeBytes?: number;
  /** Estimated iCredits of an archive, restore, delete or trash of known size (plan/cost.ts). */
  icredits?: IcreditEffect;
  /** One line, for people: why this action (or why none). */
  reason: string;
}

export interface StepPlan {
  step: PlanStepName;
  items: PlanItem[];
  warnings: string[];
}

/** What the plan was made under, for its header: thresholds, prices and the policy's verdict. */
export interface PlanContext {
  daysToArchive: number | null;
  daysToDelete: number;
  minDaysAfterDelivery: number;
  deleteCap: number;
  archivePolicy: string;
  rates: IcreditRates;
  /** Set when archiving under these windows costs more than it saves (cost.ts archiveLossWarning). */
  archiveLoss?: string;
  /** `plan --as-of`: ages were computed at generatedAt, not at the time the plan was made. */
  asOf?: boolean;
}

export interface Plan {
  /** ISO-8601 instant the plan was computed for (the `now` of every age in it). */
  generatedAt: string;
  steps: StepPlan[];
  context?: PlanContext;
}

export function isActing(action: PlanAction): action is ActingAction {
  return (actingActions as readonly string[]).includes(action);
}
