import { V1PRE3_PROJECT_SORT_FIELDS } from "./assumptions.js";
import type { BsDataset, BsProject, BsRun, BsTrashEntry } from "./model.js";
import { idSortKey } from "./paging.js";
import type { BasespaceStore } from "./store.js";

/** `sortby` enums from the swagger (V2DatasetsSortFields, V2RunsSortFields, V1pre3TrashItemsSortFields). */
export const DATASET_SORT_FIELDS = [
  "Name",
  "DateCreated",
  "DateModified",
  "AppSessionName",
  "ApplicationName",
  "ProjectName",
  "Size",
  "QcStatus",
] as const;
export const RUN_SORT_FIELDS = [
  "Id",
  "DateCreated",
  "ExperimentName",
  "FlowcellBarcode",
  "LaneAndQcStatus",
  "PlatformName",
  "Status",
  "InstrumentName",
  "TotalSize",
] as const;
export const TRASH_SORT_FIELDS = ["DateDeleted", "TotalSize"] as const;
export { V1PRE3_PROJECT_SORT_FIELDS as PROJECT_SORT_FIELDS };

type Field<T extends readonly string[]> = T[number];

// Fields the simulator does not model (app sessions, QC, flowcells, instruments) sort as equal, i.e. by id.

export const datasetSortKey =
  (store: BasespaceStore) =>
  (d: BsDataset, by: Field<typeof DATASET_SORT_FIELDS>): string | number => {
    switch (by) {
      case "Name":
        return d.name;
      case "DateCreated":
        return d.createdMs;
      case "DateModified":
        return d.modifiedMs;
      case "ProjectName":
        return (d.projectId !== undefined && store.projects.get(d.projectId)?.name) || "";
      case "Size":
        return d.sizeBytes;
      default:
        return "";
    }
  };

export function runSortKey(r: BsRun, by: Field<typeof RUN_SORT_FIELDS>): string | number {
  switch (by) {
    case "Id":
      return idSortKey(r.id);
    case "DateCreated":
      return r.createdMs;
    case "ExperimentName":
      return r.experimentName;
    case "Status":
      return r.status;
    case "TotalSize":
      return r.sizeBytes;
    default:
      return "";
  }
}

export function trashSortKey(e: BsTrashEntry, by: Field<typeof TRASH_SORT_FIELDS>): number {
  return by === "DateDeleted" ? e.deletedMs : e.item.sizeBytes;
}

export const projectSortKey =
  (store: BasespaceStore) =>
  (p: BsProject, by: Field<typeof V1PRE3_PROJECT_SORT_FIELDS>): string | number => {
    switch (by) {
      case "Id":
        return idSortKey(p.id);
      case "Name":
        return p.name;
      case "DateCreated":
        return p.createdMs;
      case "DateModified":
        return store.projectSummary(p).modifiedMs;
    }
  };
