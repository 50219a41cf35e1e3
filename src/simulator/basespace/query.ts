import { badRequest } from "./bs-error.js";

/**
 * A query parameter by name, ignoring case: the swagger spells them `limit`, clients send `Limit`
 * ([NOTES-BS] §4), and BaseSpace runs on .NET where query binding ignores case.
 */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A comma-separated filter (`statuses=Complete,Failed`), lower-cased for comparison; undefined when absent. */
export function csvParam(query: URLSearchParams, name: string): Set<string> | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  return new Set(raw.split(",").map((v) => v.trim().toLowerCase()).filter((v) => v !== ""));
}

/** `isarchived=True|False` (any case); undefined when absent. */
export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw badRequest(`query parameter ${name} must be True or False, got '${raw}'`);
}

/** A non-negative integer query parameter, or `fallback` when absent. */
export function countParam(query: URLSearchParams, name: string, fallback: number): number {
  const raw = queryParam(query, name);
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`query parameter ${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}
