import type { SimAssumptions } from "../assumption-switches.js";
import { badRequest } from "./problem.js";

/** The query parameter names of the spec's operations (some differ only in case between operations, e.g. `userTag`, `usertag`). */
const documentedQueryNames = new Set([
  "activeOnly", "category", "code", "codeFilterType", "connector", "connectorTag", "connectorTagMatchMode",
  "creationDateAfter", "creationDateBefore", "dateFrom", "dateUntil", "direction", "emailAddress", "filePath",
  "filePathMatchMode", "fileType", "filename", "filenameMatchMode", "formatCode", "formatId", "fullText", "hash", "id",
  "includeHiddenProjects", "instrumentRunId", "nonIndexedFolders", "notInRun", "notLinkedToSample", "owningProjectId",
  "pageOffset", "pageSize", "pageToken", "parentFolderId", "parentFolderPath", "reference", "referencetag", "region",
  "rows", "runInputTag", "runInputTagMatchMode", "runOutputTag", "runOutputTagMatchMode", "search", "sort", "status",
  "statusDateAfter", "statusDateBefore", "technicalTag", "technicalTagMatchMode", "technicalTags", "technicaltag",
  "tenant", "type", "userTag", "userTagMatchMode", "userTags", "userreference", "usertag", "workgroups",
]);
const documentedByLowerCase = new Map<string, string[]>();
for (const name of documentedQueryNames) documentedByLowerCase.set(name.toLowerCase(), [...(documentedByLowerCase.get(name.toLowerCase()) ?? []), name]);

/**
 * Query parameter names are case-sensitive, as a Java service binds them: a name that is the spec's only
 * when case is ignored (`filepath`, `PageSize`) is a 400 naming the right spelling, where the service would
 * silently not filter. Names the spec does not have at all are ignored, as a service ignores them.
 */
export function rejectMiscasedParams(query: URLSearchParams): void {
  for (const name of new Set(query.keys())) {
    if (documentedQueryNames.has(name)) continue;
    const meant = documentedByLowerCase.get(name.toLowerCase());
    if (meant) throw badRequest(`query parameter "${name}" is not known: names are case-sensitive; send ${meant.map((m) => `"${m}"`).join(" or ")}`, { [name]: "unknown" });
  }
}

/** Spec parameters the simulator does not implement: a 400 that says so beats silently ignoring a filter. */
export function rejectUnsimulatedParams(query: URLSearchParams, names: readonly string[]): void {
  for (const name of names) {
    if (query.has(name)) throw badRequest(`the simulator does not implement the ${name} parameter; filter on the client instead`, { [name]: "unsupported" });
  }
}

/** An enum-typed query parameter. */
export function oneOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const value = query.get(name);
  if (value === null) return fallback;
  if (!allowed.includes(value as T)) throw badRequest(`${name} must be one of ${allowed.join(", ")}, got "${value}"`, { [name]: value });
  return value as T;
}

/** Every value of an array-typed enum parameter (repeated `name=a&name=b`). */
export function allOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const values = query.getAll(name);
  for (const value of values) {
    if (!allowed.includes(value as T)) throw badRequest(`${name} must be one of ${allowed.join(", ")}, got "${value}"`, { [name]: value });
  }
  return values as T[];
}

export function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  return oneOf(query, name, ["true", "false"], fallback ? "true" : "false") === "true";
}

/** A date-time parameter (`yyyy-MM-dd'T'HH:mm:ss'Z'` in the spec) as epoch milliseconds. */
export function dateParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be a date-time like 2021-01-30T08:30:00Z, got "${value}"`, { [name]: value });
  return ms;
}

/**
 * The query as the service reads it: with `ica.multi-value-query=last-only`, each repeated parameter
 * (`id=a&id=b`) keeps only its last value, as a server that binds arrays to a single field would.
 */
export function honouredQuery(query: URLSearchParams, assumptions: SimAssumptions): URLSearchParams {
  if (assumptions.is("ica.multi-value-query", "union")) return query;
  const last = new Map<string, string>();
  for (const [name, value] of query) last.set(name, value);
  return new URLSearchParams([...last]);
}
