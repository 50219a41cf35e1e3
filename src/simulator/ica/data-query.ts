import { icaDataStatuses } from "../fixtures/format.js";
import { CHILDREN_ARE_RECURSIVE, DEFAULT_FILENAME_MATCH_MODE, UNSIMULATED_DATA_FILTERS } from "./assumptions.js";
import { type DataItem, dataKey, parentPathOf } from "./data-item.js";
import { mergeRanges, rangeSource, wholeIndex } from "./data-source.js";
import type { DataStore } from "./data-store.js";
import { type CursorSource, arraySource } from "./paging.js";
import { badRequest } from "./problem.js";
import { allOf, dateParam, oneOf, rejectUnsimulatedParams } from "./query-params.js";
import type { ProjectDataView } from "./project-data-view.js";

type Predicate = (item: DataItem) => boolean;

export interface DataListing {
  source: CursorSource<DataItem>;
  filter?: Predicate;
}

/** The attribute filters shared by `GET data` and `GET data/{id}/children` (spec L5611, L6479). */
function attributeFilters(query: URLSearchParams): Predicate[] {
  rejectUnsimulatedParams(query, UNSIMULATED_DATA_FILTERS);
  const filters: Predicate[] = [];
  const ids = query.getAll("id");
  if (ids.length) filters.push((d) => ids.includes(d.id));
  const names = query.getAll("filename");
  if (names.length) {
    const mode = oneOf(query, "filenameMatchMode", ["EXACT", "EXCLUDE", "FUZZY"], DEFAULT_FILENAME_MATCH_MODE);
    const lowerNames = names.map((n) => n.toLowerCase());
    if (mode === "EXACT") filters.push((d) => names.includes(d.name));
    else if (mode === "EXCLUDE") filters.push((d) => !names.includes(d.name));
    else filters.push((d) => lowerNames.some((n) => d.name.toLowerCase().includes(n)));
  }
  const type = query.get("type") === null ? undefined : oneOf(query, "type", ["FILE", "FOLDER"], "FILE");
  if (type) filters.push((d) => d.dataType === type);
  const statuses: readonly string[] = allOf(query, "status", icaDataStatuses);
  if (statuses.length) filters.push((d) => statuses.includes(d.status));
  const formats = query.getAll("formatCode");
  if (formats.length) filters.push((d) => d.formatCode !== undefined && formats.includes(d.formatCode));
  const bounds: Array<[string, (d: DataItem) => number, (a: number, b: number) => boolean]> = [
    ["creationDateAfter", (d) => d.timeCreatedMs, (v, t) => v > t],
    ["creationDateBefore", (d) => d.timeCreatedMs, (v, t) => v < t],
    ["statusDateAfter", (d) => d.statusChangedMs, (v, t) => v > t],
    ["statusDateBefore", (d) => d.statusChangedMs, (v, t) => v < t],
  ];
  for (const [name, value, holds] of bounds) {
    const t = dateParam(query, name);
    if (t !== undefined) filters.push((d) => holds(value(d), t));
  }
  const owners = query.getAll("owningProjectId");
  if (owners.length) filters.push((d) => owners.includes(d.owningProjectId));
  return filters;
}

function combine(filters: Predicate[]): Predicate | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return (item) => {
    for (const f of filters) if (!f(item)) return false;
    return true;
  };
}

/** Items with the given ids, ordered like every data listing. */
function idSource(store: DataStore, view: ProjectDataView, ids: string[]): CursorSource<DataItem> {
  const items = ids.map((id) => store.visibleIn(view.projectId, id)).filter((d): d is DataItem => d !== undefined);
  return arraySource([...new Set(items)], dataKey);
}

function parentSource(view: ProjectDataView, parentPaths: string[]): CursorSource<DataItem> {
  const indexes = parentPaths.flatMap((p) => view.childrenOf(p) ?? []);
  const only = indexes[0];
  if (indexes.length === 1 && only) return rangeSource(only, wholeIndex(only));
  return arraySource(
    indexes.flatMap((i) => i.all()),
    dataKey,
  );
}

/**
 * `GET …/data`: picks the most selective index (ids, then parent folder, then path prefixes, else all
 * data) as the cursor source, and turns every other filter into a predicate over the candidates.
 */
export function dataListing(store: DataStore, view: ProjectDataView, query: URLSearchParams): DataListing {
  const filters = attributeFilters(query);
  const filePaths = query.getAll("filePath");
  const pathMode = oneOf(query, "filePathMatchMode", ["STARTS_WITH_CASE_INSENSITIVE", "FULL_CASE_INSENSITIVE"], "STARTS_WITH_CASE_INSENSITIVE");
  const lowerFilePaths = filePaths.map((p) => p.toLowerCase());
  const pathFilter: Predicate =
    pathMode === "FULL_CASE_INSENSITIVE"
      ? (d) => lowerFilePaths.includes(d.lowerPath)
      : (d) => lowerFilePaths.some((p) => d.lowerPath.startsWith(p));

  const parentFolderPath = query.get("parentFolderPath");
  if (parentFolderPath !== null && !(parentFolderPath.startsWith("/") && parentFolderPath.endsWith("/"))) {
    throw badRequest(`parentFolderPath must start and end with "/", got "${parentFolderPath}"`, { parentFolderPath });
  }
  const parentIds = query.getAll("parentFolderId");
  const parentPaths = parentIds.length
    ? parentIds.map((id) => store.visibleIn(view.projectId, id)).filter((d) => d?.dataType === "FOLDER").map((d) => (d as DataItem).path)
    : parentFolderPath !== null
      ? [parentFolderPath]
      : undefined;
  const parentFilter: Predicate = (d) => view.linkVia(d) !== "folder-content" && (parentPaths ?? []).includes(parentPathOf(d.path));
  if (parentIds.length && parentFolderPath !== null) filters.push((d) => parentPathOf(d.path) === parentFolderPath);

  const ids = query.getAll("id");
  if (ids.length) {
    if (parentPaths) filters.push(parentFilter);
    if (filePaths.length) filters.push(pathFilter);
    return { source: idSource(store, view, ids), filter: combine(filters) };
  }
  if (parentPaths) {
    if (filePaths.length) filters.push(pathFilter);
    return { source: parentSource(view, parentPaths), filter: combine(filters) };
  }
  const index = view.index;
  const ranges = filePaths.length
    ? mergeRanges(lowerFilePaths.map((p) => (pathMode === "FULL_CASE_INSENSITIVE" ? index.exactRange(p) : index.prefixRange(p))))
    : wholeIndex(index);
  return { source: rangeSource(index, ranges), filter: combine(filters) };
}

/** `GET …/data/{folderId}/children`: everything under the folder (see CHILDREN_ARE_RECURSIVE), filtered. */
export function childrenListing(view: ProjectDataView, folder: DataItem, query: URLSearchParams): DataListing {
  const filters = attributeFilters(query);
  if (folder.dataType === "FILE") return { source: arraySource([], dataKey) };
  if (!CHILDREN_ARE_RECURSIVE) return { source: parentSource(view, [folder.path]), filter: combine(filters) };
  filters.unshift((d) => d !== folder && d.path.startsWith(folder.path));
  return { source: rangeSource(view.index, [view.index.prefixRange(folder.lowerPath)]), filter: combine(filters) };
}
