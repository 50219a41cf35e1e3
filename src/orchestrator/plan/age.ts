// One module each: the package index loads all of date-fns (~17 MB of RSS in every cycle).
import { differenceInMilliseconds } from "date-fns/differenceInMilliseconds";
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";

/**
 * Age of data and the lifecycle window it falls in.
 *
 * "Age in days" is exact elapsed time, not calendar days: `(now − start) in ms / 86 400 000`, a fractional
 * number compared with `≥` against the configured whole days. So with days_to_archive = 60, data is
 * `young` until 60 × 24 h have elapsed and `archive` from that very millisecond on (59.99…d is young,
 * 60.0d is archive). Working in UTC milliseconds makes the result independent of time zones and DST; the
 * division is exact at whole days (n × 86 400 000 / 86 400 000 === n for every n we meet), so the boundary
 * is exact to the millisecond. Negative ages (a start in the future, clock skew) are `young`.
 */
export const DAY_MS = 86_400_000;

export type AgeWindow = "young" | "archive" | "delete";

export interface LifecycleWindows {
  /** `null` = archiving is off: data goes straight from `young` to `delete`. */
  daysToArchive: number | null;
  daysToDelete: number;
}

/** A point in time: a Date, epoch milliseconds (the BaseSpace client's `createdAtMs`), or ISO-8601 text. */
export type Timestamp = Date | number | string;

/** Builds validated windows; the config layer validates too, this guards the planners' own invariant. */
export function lifecycleWindows(daysToArchive: number | null, daysToDelete: number): LifecycleWindows {
  if (!(Number.isFinite(daysToDelete) && daysToDelete > 0)) {
    throw new Error(`days_to_delete must be a positive number of days, got ${daysToDelete}`);
  }
  if (daysToArchive !== null) {
    if (!(Number.isFinite(daysToArchive) && daysToArchive > 0)) {
      throw new Error(`days_to_archive must be a positive number of days (or archiving off), got ${daysToArchive}`);
    }
    if (daysToArchive > daysToDelete) {
      throw new Error(
        `days_to_archive (${daysToArchive}) must not exceed days_to_delete (${daysToDelete}); lower it or turn archiving off`,
      );
    }
  }
  return { daysToArchive, daysToDelete };
}

/**
 * Parses an API timestamp. Strings without a zone are read as UTC (BaseSpace has been seen to send
 * `2024-05-29T10:11:12.1234567` style values; date-fns would otherwise read them as local time).
 */
export function parseTimestamp(value: Timestamp): Date {
  if (typeof value !== "string") {
    const date = new Date(value);
    if (!isValid(date)) throw new Error(`invalid timestamp ${String(value)}: expected a valid Date or epoch milliseconds`);
    return date;
  }
  const parsed = parseISO(withUtcDefault(value.trim()));
  if (!isValid(parsed)) throw new Error(`invalid timestamp '${value}': expected ISO-8601 such as 2024-05-29T10:11:12Z`);
  return parsed;
}

function withUtcDefault(value: string): string {
  if (/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) && value.includes("T")) return value;
  return value.includes("T") ? `${value}Z` : `${value}T00:00:00Z`;
}

export function ageInDays(start: Timestamp, now: Timestamp): number {
  return differenceInMilliseconds(parseTimestamp(now), parseTimestamp(start)) / DAY_MS;
}

/** As the predecessor does: an analysis ages from its start, or from its creation when it never started. */
export function analysisAgeDays(
  analysis: { startDate: Timestamp | null | undefined; timeCreated: Timestamp },
  now: Timestamp,
): number {
  return ageInDays(analysis.startDate ?? analysis.timeCreated, now);
}

export function classifyAge(ageDays: number, windows: LifecycleWindows): AgeWindow {
  if (ageDays >= windows.daysToDelete) return "delete";
  if (windows.daysToArchive !== null && ageDays >= windows.daysToArchive) return "archive";
  return "young";
}

/** "Aged" = past the first window that acts: days_to_archive, or days_to_delete when archiving is off. */
export function isAged(ageDays: number, windows: LifecycleWindows): boolean {
  return classifyAge(ageDays, windows) !== "young";
}
