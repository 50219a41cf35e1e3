import type { IcaClient } from "../../ica/client.js";
import type { IcaDataStatus } from "../../ica/schemas.js";
import { getDataStatusAndPath, statusesAfter, type LifecycleAction } from "./lifecycle.js";

/** What the plan saw of a folder it decided to archive, unarchive or delete. */
export interface PlannedData {
  status: IcaDataStatus;
  path?: string;
}

export type DataBasis = { state: "unchanged" } | { state: "done" } | { state: "changed"; why: string };

/**
 * Reads an ICA data item right before an irreversible action on it and says whether the plan still
 * holds. Before our call an AVAILABLE folder we meant to unarchive was unarchived by a person; after
 * it, AVAILABLE is our own unarchive finished. A different path means someone moved or renamed it.
 */
export async function lifecycleBasis(
  ica: IcaClient,
  projectId: string,
  dataId: string,
  action: LifecycleAction,
  planned: PlannedData,
  called: boolean,
): Promise<DataBasis> {
  const now = await getDataStatusAndPath(ica, projectId, dataId);
  // Statuses that show the action under way or finished: our call (or someone's) took effect.
  const done = called ? statusesAfter[action] : statusesAfter[action].filter((s) => s !== "AVAILABLE");
  if (done.includes(now.status)) return { state: "done" };
  if (now.status === "DELETED") return { state: "changed", why: "it was deleted by someone else" };
  if (planned.path !== undefined && now.path !== undefined && !samePath(now.path, planned.path)) {
    return { state: "changed", why: `it was moved or renamed to ${now.path}` };
  }
  if (now.status !== planned.status) return { state: "changed", why: `its status is now ${now.status}, planned on ${planned.status}` };
  return { state: "unchanged" };
}

/** Whether two ICA paths name the same place: folder paths are listed with and without their trailing slash. */
export const samePath = (a: string, b: string): boolean => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
