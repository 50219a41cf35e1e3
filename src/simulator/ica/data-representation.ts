import type { SimContext } from "../context.js";
import type { DataItem } from "./data-item.js";
import { dataFormat } from "./data-format.js";
import type { Directory } from "./directory.js";
import { objectETagOf } from "./object-etag.js";

/** What a data representation reads besides the item: owners' names, and the object store for ETags. */
export interface DataViewDeps {
  directory: Directory;
  ctx: Pick<SimContext, "objects">;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const emptyDataTags = {
  technicalTags: [],
  userTags: [],
  connectorTags: [],
  runInTags: [],
  runOutTags: [],
  referenceTags: [],
};

/** `Data` (spec L13780) with the `DataDetails` fields the spec requires, plus path, size, ETag and format. */
export function toData(item: DataItem, deps: DataViewDeps): Record<string, unknown> {
  const owner = deps.directory.project(item.owningProjectId);
  const isFile = item.dataType === "FILE";
  const objectETag = objectETagOf(item, deps.ctx.objects);
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
      ...(objectETag !== undefined ? { objectETag } : {}),
      status: item.status,
      tags: emptyDataTags,
      ...(item.formatCode ? { format: dataFormat(item.formatCode) } : {}),
      dataType: item.dataType,
    },
    ...(isFile ? {} : { folderDetails: { nonIndexed: false } }),
  };
}

/** `ProjectData` (spec L19014): the data as seen from one project (its own or linked into it). */
export function toProjectData(projectId: string, item: DataItem, deps: DataViewDeps): Record<string, unknown> {
  return { projectId, data: toData(item, deps) };
}
