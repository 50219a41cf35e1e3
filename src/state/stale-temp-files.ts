import { readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { notificationLogPath } from "./notification-log.js";
import type { StatePaths } from "./state-dir.js";

/**
 * write-file-atomic writes `<file>.<uint32>` next to `<file>` and renames it over the file; a process
 * killed in between leaves the temporary file behind for good (its exit handler never ran).
 */
const tempSuffix = /^\.\d{1,10}$/;

/**
 * Younger temp files may belong to a writer that does not take our lock (a table shared by two state directories).
 * @internal exported for the tests
 */
export const staleTempAgeMs = 60_000;

export interface StaleTempTargets {
  /** Files written atomically whose temp files are ours to remove (journal, cycle counts, table, notification log). */
  files: readonly string[];
  /** Directories whose files ending in `suffix` this tool writes atomically (reports, manifests). */
  dirs: ReadonlyArray<{ dir: string; suffix: string }>;
}

/**
 * Removes the temp files a killed cycle left next to the files it writes atomically, and returns their
 * paths. Call it holding the state lock: no cycle of ours is writing then. Only names of the form
 * `<one of our files>.<digits>` are touched; anything unreadable is left alone.
 */
export async function removeStaleTempFiles(targets: StaleTempTargets): Promise<string[]> {
  // Per directory, which names a temp file may be made from.
  const owners = new Map<string, Array<(owner: string) => boolean>>();
  const add = (dir: string, test: (owner: string) => boolean) => owners.set(dir, [...(owners.get(dir) ?? []), test]);
  for (const file of targets.files) add(dirname(file), (owner) => owner === basename(file));
  for (const { dir, suffix } of targets.dirs) add(dir, (owner) => owner.endsWith(suffix) && owner.length > suffix.length);
  const candidates: string[] = [];
  for (const [dir, tests] of owners) {
    for (const name of await listNames(dir)) {
      const cut = name.lastIndexOf(".");
      if (cut <= 0 || !tempSuffix.test(name.slice(cut))) continue;
      const owner = name.slice(0, cut);
      if (tests.some((test) => test(owner))) candidates.push(join(dir, name));
    }
  }
  const removed: string[] = [];
  for (const path of candidates) {
    try {
      const info = await stat(path);
      // File times are the machine's, whatever clock the cycle runs on.
      if (!info.isFile() || Date.now() - info.mtimeMs < staleTempAgeMs) continue;
      await rm(path);
      removed.push(path);
    } catch {
      // Gone meanwhile or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Everything a cycle writes atomically: its journal, the managed table, the notification and warning logs, reports and manifests. */
export function cycleTempTargets(paths: StatePaths, managedTablePath: string): StaleTempTargets {
  return {
    files: [paths.journal, paths.cycles, resolve(managedTablePath), notificationLogPath(paths), paths.warnings],
    dirs: [
      { dir: paths.reports, suffix: ".json" },
      { dir: paths.manifests, suffix: ".csv" },
    ],
  };
}
