import { NotFoundError } from "../../http/errors.js";
import { isAmbiguousFailure } from "../../http/retry-policy.js";
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
 * Asks ICA to archive, unarchive or delete data (recursive for folders, asynchronous). The request is
 * not retried blindly after an ambiguous failure (timeout, reset, 5xx): the data's status is read
 * instead, and if it already shows the action under way, the call succeeded.
 */
export async function requestLifecycleAction(
  ica: IcaClient,
  projectId: string,
  dataId: string,
  action: LifecycleAction,
): Promise<void> {
  try {
    await ica.lifecycleAction(projectId, dataId, action);
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    const status = await getDataStatus(ica, projectId, dataId).catch(() => undefined);
    if (status === undefined || !statusesAfter[action].includes(status)) throw error;
  }
}

