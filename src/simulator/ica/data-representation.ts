import type { DataItem } from "./data-item.js";
import { dataFormat } from "./data-format.js";
import type { Directory } from "./directory.js";

const iso = (ms: number): string => new Date(ms).toISOString();

const emptyDataTags = {
  technicalTags: [],
  userTags: [],
  connectorTags: [],
  runInTags: [],
  runOutTags: [],
  referenceTags: [],
};

/** `Data` (spec L13780) with the `DataDetails` fields the spec requires, plus path, size and format. */
export function toData(item: DataItem, directory: Directory): Record<string, unknown> {
  const owner = directory.project(item.owningProjectId);
  const isFile = item.dataType === "FILE";
  return {
    id: item.id,
    urn: `urn:ilmn:ica:region:${owner?.regionId ?? "unknown"}:data:${item.id}#${item.path}`,
    details: {
      timeCreated: iso(item.timeCreatedMs),
      timeModified: iso(item.timeModifiedMs),
      ...(item.creatorId ? { creatorId: item.creatorId } : {}),
      tenantId: owner?.tenantUuid,
      tenantName: owner?.tenantName,
      owningProjectId: item.owningProjectId,
      owningProjectName: owner?.name,
      name: item.name,
      path: item.path,
      ...(isFile && item.sizeBytes !== undefined ? { fileSizeInBytes: item.sizeBytes } : {}),
      status: item.status,
      tags: emptyDataTags,
      ...(item.formatCode ? { format: dataFormat(item.formatCode) } : {}),
      dataType: item.dataType,
    },
    ...(isFile ? {} : { folderDetails: { nonIndexed: false } }),
  };
}

/** `ProjectData` (spec L19014): the data as seen from one project (its own or linked into it). */
export function toProjectData(projectId: string, item: DataItem, directory: Directory): Record<string, unknown> {
  return { projectId, data: toData(item, directory) };
}
