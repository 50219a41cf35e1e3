import { COSMETIC, LINK_JOB_SUBJECT_TYPE } from "./assumptions.js";
import { type DataViewDeps, toProjectData } from "./data-representation.js";
import type { Directory, Principal } from "./directory.js";
import { asUuid } from "./ids.js";
import type { BatchItem, ItemStatus, LinkingBatch } from "./linking-batches.js";
import type { ApiVersion } from "./media-type.js";

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** `User` (spec L14228) with its required fields; the fixture only knows the user's id. */
function toUser(principal: Principal, directory: Directory): Record<string, unknown> {
  const id = asUuid(principal.userId);
  return {
    id,
    timeCreated: COSMETIC.platformTimeIso,
    timeModified: COSMETIC.platformTimeIso,
    ownerId: id,
    tenantId: asUuid(principal.tenantId),
    tenantName: directory.tenantName(principal.tenantId),
    username: principal.userId,
    email: `${principal.userId}@users.ica-simulator.invalid`,
    active: true,
    tenantAdministrator: false,
    emailVerified: true,
    twoFactorAuthentication: false,
  };
}

/** `ProjectDataLinkingBatch` (spec L19517): the batch id and its `Job` (L13950). */
export function toLinkingBatch(batch: LinkingBatch, directory: Directory): Record<string, unknown> {
  return {
    id: batch.id,
    job: {
      id: batch.jobId,
      status: batch.jobStatus,
      ...(batch.jobInfo ? { additionalStatusInformation: batch.jobInfo } : {}),
      subjectType: LINK_JOB_SUBJECT_TYPE,
      subjectId: batch.id,
      timeCreated: iso(batch.timeCreatedMs),
      timeStarted: iso(batch.timeStartedMs),
      timeFinished: iso(batch.timeFinishedMs),
      owner: toUser(batch.principal, directory),
    },
  };
}

/** V3 "returns PARTIALLY_LINKED item processing status as FAILED" (spec L7560). */
export const itemStatusIn = (status: ItemStatus, version: ApiVersion): ItemStatus =>
  version === "v3" && status === "PARTIALLY_LINKED" ? "FAILED" : status;

/** `ProjectDataLinkingBatchItem` (V3) / `ProjectDataLinkingBatchItemV4` (spec L19596). */
export function toBatchItem(batch: LinkingBatch, item: BatchItem, version: ApiVersion, deps: DataViewDeps): Record<string, unknown> {
  return {
    id: item.id,
    request: { dataId: item.dataId },
    processing: { status: itemStatusIn(item.status, version), ...(item.info ? { additionalStatusInformation: item.info } : {}) },
    ...(item.linked ? { createdProjectData: toProjectData(batch.projectId, item.linked, deps) } : {}),
  };
}
