import { randomBytes } from "node:crypto";
import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileFenced, type Fence } from "./fenced-write.js";
import { jsonPieces } from "./json-pieces.js";
import type { z } from "zod";
import type { StatePaths } from "./state-dir.js";

/**
 * `2025-06-01T10-00-00.123Z-1a2b`: sorts by start time as text (so the latest report is the last
 * name), is safe in file names everywhere, and the suffix keeps two processes apart.
 */
export function newCycleId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/:/g, "-")}-${randomBytes(2).toString("hex")}`;
}

const cycleIdPattern = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{4}$/;

/** @internal exported for the tests */
export class ReportError extends Error {
  override name = "ReportError";
}

function reportFile(paths: StatePaths, cycleId: string): string {
  if (!cycleIdPattern.test(cycleId)) throw new ReportError(`invalid cycle id "${cycleId}": create it with newCycleId()`);
  return join(paths.reports, `${cycleId}.json`);
}

/**
 * Down to the items of a step's plan (report → plan → steps → step → items → item): a first cycle on a
 * large account plans tens of thousands of them, which are written in pieces rather than as one string.
 */
const reportPieceDepth = 5;

/**
 * Writes `reports/<cycle-id>.json` atomically (checking `fence` right before the rename) and returns its
 * path. The text is made piece by piece as it is written: a report is not changed once it is made.
 */
export async function writeCycleReport(paths: StatePaths, cycleId: string, report: unknown, fence: Fence = () => undefined): Promise<string> {
  const file = reportFile(paths, cycleId);
  await writeFileFenced(file, withNewline(jsonPieces(report, reportPieceDepth, { indent: 2 })), fence);
  return file;
}

function* withNewline(pieces: Iterable<string>): Generator<string, void, undefined> {
  yield* pieces;
  yield "\n";
}

/** When the cycle id (its start time, see newCycleId) says the cycle started. */
function startOf(cycleId: string): number {
  return Date.parse(`${cycleId.slice(0, 10)}T${cycleId.slice(11, 23).replace(/-/g, ":")}Z`);
}

/**
 * Removes the reports of cycles that started more than `keepDays` before `now`, so `reports/` holds
 * a bounded history; the latest report always stays (`status` reads it). The fence is checked before
 * each removal: a cycle that lost the lock removes nothing. Returns how many were removed.
 */
export async function pruneReports(paths: StatePaths, keepDays: number, now: Date, fence: Fence = () => undefined): Promise<number> {
  const names = (await readdir(paths.reports)).filter((name) => name.endsWith(".json") && cycleIdPattern.test(name.slice(0, -5))).sort();
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const old = names.slice(0, -1).filter((name) => startOf(name.slice(0, -5)) < cutoff);
  for (const name of old) {
    fence();
    await unlink(join(paths.reports, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
  return old.length;
}

export interface StoredReport<T> {
  cycleId: string;
  path: string;
  report: T;
}

/** The cycle ids of the reports kept, oldest first; none before the first cycle. */
async function reportIds(paths: StatePaths): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(paths.reports);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(".json") && cycleIdPattern.test(name.slice(0, -5)))
    .map((name) => name.slice(0, -5))
    .sort();
}

/** The most recent cycle report, validated with the caller's schema; undefined before the first cycle. */
export async function readLatestReport<T>(paths: StatePaths, schema: z.ZodType<T>): Promise<StoredReport<T> | undefined> {
  const latest = (await reportIds(paths)).at(-1);
  return latest === undefined ? undefined : readReport(paths, latest, schema);
}

/**
 * The reports of the cycles that started at or after `since`, newest first: only those files are
 * read, so a health check every few seconds costs a handful of reads however long the history.
 */
export async function readReportsSince<T>(paths: StatePaths, since: Date, schema: z.ZodType<T>): Promise<Array<StoredReport<T>>> {
  const recent = (await reportIds(paths)).filter((cycleId) => startOf(cycleId) >= since.getTime()).reverse();
  return Promise.all(recent.map((cycleId) => readReport(paths, cycleId, schema)));
}

async function readReport<T>(paths: StatePaths, cycleId: string, schema: z.ZodType<T>): Promise<StoredReport<T>> {
  const path = join(paths.reports, `${cycleId}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ReportError(`cannot read report ${path} (${(error as Error).message}): delete it to fall back to older reports`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new ReportError(`report ${path} does not match this version (${where}: ${issue?.message}): delete it or upgrade`);
  }
  return { cycleId, path, report: result.data };
}

/** Where the manifest CSV of a run (of its n-th redelivery, named as in the destination) is written before its upload. */
export function manifestPath(paths: StatePaths, runId: string, redelivery = 0): string {
  // Run ids come from analysis references; a separator would write outside manifests/.
  if (runId === "" || /[/\\]|^\.\.?$/.test(runId)) {
    throw new ReportError(`run id "${runId}" cannot be used as a file name`);
  }
  return join(paths.manifests, `${runId}${redelivery > 0 ? `.redelivery-${redelivery}` : ""}.download_manifest.csv`);
}
