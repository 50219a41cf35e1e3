import type { LifecycleWindows } from "./age.js";
import type { DeletionBudget } from "./cap.js";
import type { StorageState } from "./lifecycle-decision.js";
import { planLifecycle, type LifecyclePlan, type LifecycleSubject } from "./plan-lifecycle.js";
import type { ProtectList } from "./protect.js";
import type { LifecycleCost } from "./cost.js";
import type { ScopeGate } from "./basespace-scopes.js";

/** Ids per BaseSpace kind, as the journal keeps them and `POST /v2/archive|restore` take them. */
export interface BasespaceIdSets {
  datasetIds: ReadonlySet<string>;
  runIds: ReadonlySet<string>;
}

export interface BasespaceDataset {
  kind: "dataset";
  id: string;
  name: string;
  projectId: string;
  projectName: string;
  ownerId?: string | null;
  /** From DateCreated (see age.ts). */
  ageDays: number;
  sizeBytes?: number | null;
  isArchived: boolean;
}

export interface BasespaceRun {
  kind: "run";
  id: string;
  name: string;
  experimentName?: string | null;
  /** Run status (`Complete`, `Running`, ...); only runs in a final state are archived or trashed. */
  status?: string | null;
  ownerId?: string | null;
  ageDays: number;
  sizeBytes?: number | null;
  isArchived: boolean;
}

export type BasespaceItem = BasespaceDataset | BasespaceRun;

export interface BasespaceLifecyclePlanInput {
  /** Datasets of the resolved projects and the runs `selectRuns` kept. */
  items: readonly BasespaceItem[];
  windows: LifecycleWindows;
  /** Journal: restores already requested (never requested twice: they cost credits, take ~2 days). */
  restoresRequested: BasespaceIdSets;
  /** What the ICA lifecycle left of this cycle's deletion budget. */
  budget: DeletionBudget;
  protect: ProtectList;
  scopes: Pick<ScopeGate, "blockedBy">;
  /** Prices the items and, under `cost-aware`, skips archives that lose iCredits. */
  cost?: LifecycleCost;
  /**
   * The token's user. Items another user owns are only shared with the account: BaseSpace refuses to
   * archive them ([ARCH]; a bulk request with one ineligible id can fail as a whole) and they are not
   * ours to trash, so they are left alone. Without it, ownership is not checked.
   */
  currentUserId?: string;
}

/**
 * Archive datasets and runs in the archive window; past days_to_delete, request a restore of archived
 * ones (once) and trash them in a later cycle when `IsArchived` is false again; trash available ones.
 * BaseSpace has no "restoring" flag, so a requested restore shows as still archived: `wait`.
 */
export function planBasespaceLifecycle(input: BasespaceLifecyclePlanInput): LifecyclePlan {
  const subjects = input.items.map((item): LifecycleSubject => {
    const requested = (item.kind === "dataset" ? input.restoresRequested.datasetIds : input.restoresRequested.runIds).has(
      item.id,
    );
    return {
      target: { kind: item.kind === "dataset" ? "bs-dataset" : "bs-run", id: item.id, name: item.name },
      ageDays: item.ageDays,
      sizeBytes: item.sizeBytes ?? null,
      state: basespaceStorageState(item, input.currentUserId),
      stateLabel: `IsArchived=${item.isArchived}`,
      restoreRequested: requested,
      protectKeys:
        item.kind === "dataset"
          ? [item.id, item.name, item.projectId, item.projectName]
          : [item.id, item.name, item.experimentName],
    };
  });
  return planLifecycle(subjects, {
    step: "basespaceLifecycle",
    label: "BaseSpace lifecycle",
    windows: input.windows,
    protect: input.protect,
    budget: input.budget,
    ...(input.cost ? { cost: input.cost } : {}),
    verbs: { archive: "archive", restore: "restore", remove: "trash" },
    blockedBy: (action) => input.scopes.blockedBy(action),
  });
}

/** [ARCH]: only runs in a final state can be archived; we do not trash a run that is still going either. */
const finalRunStatuses = new Set(["complete", "stopped", "failed"]);

function basespaceStorageState(item: BasespaceItem, currentUserId?: string): StorageState {
  if (currentUserId !== undefined && item.ownerId != null && item.ownerId !== currentUserId) {
    return { kind: "off-limits", reason: `owned by user ${item.ownerId}, shared with this account; left alone` };
  }
  if (item.kind === "run" && item.status != null && !finalRunStatuses.has(item.status.toLowerCase())) {
    return { kind: "busy", reason: `run status '${item.status}' is not final (Complete, Stopped, Failed)` };
  }
  return item.isArchived ? { kind: "archived" } : { kind: "available" };
}
