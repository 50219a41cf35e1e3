import { NotFoundError } from "../../http/errors.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaDataStatus } from "../../ica/schemas.js";

export type LifecycleAction = "archive" | "unarchive" | "delete";

/** A deleted data item answers 404; this is how status reads report it. */
export type ObservedDataStatus = IcaDataStatus | "DELETED";

/** The statuses an action moves data into (transitions per notes §6). */
export const statusesAfter: Readonly<Record<LifecycleAction, readonly ObservedDataStatus[]>> = {
  archive: ["ARCHIVING", "ARCHIVED"],
  unarchive: ["UNARCHIVING", "AVAILABLE"],
  delete: ["DELETING", "DELETED"],
};

/**
 * Current status of a data item; `DELETED` once ICA answers 404.
 * @internal exported for the tests
 */
export async function getDataStatus(ica: IcaClient, projectId: string, dataId: string): Promise<ObservedDataStatus> {
  return (await getDataStatusAndPath(ica, projectId, dataId)).status;
}

/** Status and path of a data item as it is now (`DELETED`, no path, once ICA answers 404). */
export async function getDataStatusAndPath(
  ica: IcaClient,
  projectId: string,
  dataId: string,
): Promise<{ status: ObservedDataStatus; path?: string }> {
  try {
    const data = await ica.getData(projectId, dataId);
    return { status: data.status, path: data.path };
  } catch (error) {
    if (error instanceof NotFoundError) return { status: "DELETED" };
    throw error;
  }
}

/**
 * Asks ICA to archive, unarchive or delete data (recursive for folders, asynchronous). Sent once: an
 * ambiguous failure (timeout, reset, 5xx) is thrown as it is, and the caller reads the data again to
 * decide (rereadIcaAction: the lifecycle step's one read after a failure, which also sees a path or
 * status a person changed), rather than this module reading it first and the step a second time.
 */
export function requestLifecycleAction(ica: IcaClient, projectId: string, dataId: string, action: LifecycleAction): Promise<void> {
  return ica.lifecycleAction(projectId, dataId, action);
}

