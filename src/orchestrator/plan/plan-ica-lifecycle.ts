import type { IcaDataStatus } from "../../ica/schemas.js";
import type { LifecycleWindows } from "./age.js";
import type { DeletionBudget } from "./cap.js";
import type { StorageState } from "./lifecycle-decision.js";
import { planLifecycle, type LifecyclePlan, type LifecycleSubject } from "./plan-lifecycle.js";
import type { ProtectList } from "./protect.js";
import type { LifecycleCost } from "./cost.js";


/** An aged analysis classified ICA-managed (its output holds `_tags.json`). */
export interface IcaManagedAnalysis {
  analysisId: string;
  reference: string;
  userReference?: string;
  /** See age.ts: from startDate, or timeCreated when the analysis never started. */
  ageDays: number;
  /** `status` is DataDetails.status; a value ICA adds later is treated as busy: touch nothing. */
  outputFolder: { id: string; path: string; status: IcaDataStatus | (string & {}); sizeBytes?: number | null };
  /**
   * Why the folder must be left as it is for now, whatever its age: e.g. its FASTQs are still being
   * delivered (linked data is shared, not copied, so archiving or deleting the source takes it away
   * from the destination too). The item then waits, with this reason.
   */
  hold?: string;
  /** A protected file inside the output folder (see protectedContents): the folder is left alone. */
  holdsProtected?: { entry: string; path: string };
}

export interface IcaLifecyclePlanInput {
  analyses: readonly IcaManagedAnalysis[];
  windows: LifecycleWindows;
  /** Journal: output folder ids whose unarchive was already requested (a delete is pending on them). */
  unarchiveRequested: ReadonlySet<string>;
  budget: DeletionBudget;
  protect: ProtectList;
  /** Prices the items and, under `cost-aware`, skips archives that lose iCredits. */
  cost?: LifecycleCost;
}

/**
 * Archive output folders in the archive window, delete them past days_to_delete. ICA's `:delete` is not
 * documented to work on ARCHIVED data, so archived folders are unarchived first (once — the journal
 * remembers it) and deleted by a later cycle when they are AVAILABLE again. Folders in a transition
 * (ARCHIVING, UNARCHIVING, DELETING) or still being written (PARTIAL) get a `wait` item.
 */
export function planIcaLifecycle(input: IcaLifecyclePlanInput): LifecyclePlan {
  const subjects = input.analyses.map(
    ({ analysisId, reference, userReference, ageDays, outputFolder, hold, holdsProtected }): LifecycleSubject => ({
      target: { kind: "ica-folder", id: outputFolder.id, path: outputFolder.path },
      analysisId,
      ageDays,
      sizeBytes: outputFolder.sizeBytes ?? null,
      state: hold === undefined ? icaStorageState(outputFolder.status) : { kind: "busy", reason: hold },
      stateLabel: outputFolder.status,
      restoreRequested: input.unarchiveRequested.has(outputFolder.id),
      protectKeys: [analysisId, reference, userReference, outputFolder.id, outputFolder.path],
      ...(holdsProtected ? { holdsProtected } : {}),
    }),
  );
  return planLifecycle(subjects, {
    step: "icaLifecycle",
    label: "ICA lifecycle",
    windows: input.windows,
    protect: input.protect,
    budget: input.budget,
    ...(input.cost ? { cost: input.cost } : {}),
    verbs: { archive: "archive", restore: "unarchive", remove: "delete" },
  });
}

function icaStorageState(status: string): StorageState {
  switch (status) {
    case "AVAILABLE":
      return { kind: "available" };
    case "ARCHIVED":
      return { kind: "archived" };
    case "ARCHIVING":
      return { kind: "busy", reason: "archiving in progress" };
    case "UNARCHIVING":
      return { kind: "busy", reason: "unarchiving in progress; delete once AVAILABLE" };
    case "DELETING":
      return { kind: "busy", reason: "deletion in progress" };
    case "PARTIAL":
      return { kind: "busy", reason: "output folder is PARTIAL (still being written)" };
    default:
      return { kind: "busy", reason: `unknown data status '${status}'; left alone` };
  }
}
