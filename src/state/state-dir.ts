import { randomBytes } from "node:crypto";
import { mkdir, open, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/** Every path inside the state directory; nothing else in the code builds these names. */
export interface StatePaths {
  root: string;
  journal: string;
  /** The cycle counts, apart from the journal so that an idle cycle does not rewrite it. */
  cycles: string;
  lock: string;
  /** The fencing token of the cycle holding the lock (outside the lock directory, which is removed with rmdir). */
  lockToken: string;
  audit: string;
  reports: string;
  manifests: string;
  log: string;
  /** Which warnings were logged when (WarningMemory): a warning that repeats every cycle is logged once a day. */
  warnings: string;
}

export function statePaths(stateDir: string): StatePaths {
  const root = resolve(stateDir);
  return {
    root,
    journal: join(root, "journal.json"),
    cycles: join(root, "cycles.json"),
    lock: join(root, "lock"),
    lockToken: join(root, "lock.token"),
    audit: join(root, "audit.jsonl"),
    reports: join(root, "reports"),
    manifests: join(root, "manifests"),
    log: join(root, "orchestrator.log"),
    warnings: join(root, "warnings.json"),
  };
}

export class StateDirError extends Error {
  override name = "StateDirError";
}

/**
 * The paths of a state directory that must already exist, for the commands that only read it
 * (`status`, `health`): none there means no cycle has run with these settings, nearly always because
 * a relative state_dir (the default `.ica-orchestrator` is one) is read from another directory.
 */
export async function requireStateDir(stateDir: string): Promise<StatePaths> {
  const paths = statePaths(stateDir);
  const info = await stat(paths.root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new StateDirError(`cannot read the state directory ${paths.root} (${error.code ?? String(error)}): ${fixFor(error.code ?? "", "--state_dir")}`);
  });
  if (!info?.isDirectory()) {
    throw new StateDirError(
      `no state directory at ${paths.root}: no cycle has run with it (a relative --state_dir, like the default, is taken ` +
        "from the current directory); pass the --state_dir or --config the cycles use",
    );
  }
  return paths;
}

/** How to fix a path that cannot be written, by error code; `option` is the setting that chooses the path. */
function fixFor(code: string, option: string): string {
  const fixes: Record<string, string> = {
    EACCES: `give the user running ica-orchestrator write access (chown/chmod), or choose another with ${option}`,
    EPERM: `give the user running ica-orchestrator write access (chown/chmod), or choose another with ${option}`,
    EROFS: `it is on a read-only file system: mount a writable volume there, or choose another with ${option}`,
    ENOTDIR: `a file is in the way: remove it, or choose another directory with ${option}`,
    EEXIST: `a file is in the way: remove it, or choose another directory with ${option}`,
    ENOENT: `create it, or correct ${option}`,
    ENOSPC: "the disk is full: free some space",
  };
  return fixes[code] ?? `check the path and its permissions, or choose another with ${option}`;
}

/**
 * Creates the state directory and its sub-directories and proves it writable by writing a probe
 * file, so a misconfigured volume fails at start-up in one line rather than after the first link.
 */
export async function ensureStateDir(stateDir: string): Promise<StatePaths> {
  const paths = statePaths(stateDir);
  try {
    for (const dir of [paths.root, paths.reports, paths.manifests]) await mkdir(dir, { recursive: true });
    await probeDirectory(paths.root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new StateDirError(`state directory ${paths.root} is not writable (${code || String(error)}): ${fixFor(code, "--state_dir")}`);
  }
  return paths;
}

/** Unique per call: two cycles of one process (or a CLI and its tests) may probe at the same moment. */
async function probeDirectory(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  await writeFile(probe, "");
  await rm(probe);
}

/** Opens an existing file for appending and closes it again without writing; a missing file is fine (its directory is probed). */
async function probeAppend(path: string): Promise<void> {
  try {
    await (await open(path, "a")).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * Proves every path a cycle writes writable before its first change: the state directory, its
 * reports and manifests, the audit log, and the managed table with its folder (which may lie outside
 * the state directory, or not exist: a mistyped --analyses_managed_table would otherwise be found
 * only after the cycle had delivered analyses it could not record).
 */
export async function checkStateWritable(paths: StatePaths, managedTablePath: string): Promise<void> {
  const table = resolve(managedTablePath);
  const checks: Array<[string, string, () => Promise<void>]> = [
    [paths.root, "--state_dir", () => probeDirectory(paths.root)],
    [paths.reports, "--state_dir", () => probeDirectory(paths.reports)],
    [paths.manifests, "--state_dir", () => probeDirectory(paths.manifests)],
    [paths.audit, "--state_dir", () => probeAppend(paths.audit)],
    [dirname(table), "--analyses_managed_table", () => probeDirectory(dirname(table))],
    [table, "--analyses_managed_table", () => probeAppend(table)],
  ];
  for (const [path, option, check] of checks) {
    try {
      await check();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      throw new StateDirError(`${path} is not writable (${code || String(error)}): ${fixFor(code, option)}; this cycle changed nothing`);
    }
  }
}
