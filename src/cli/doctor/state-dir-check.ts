import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { CheckResult } from "./checklist.js";

const name = "state directory";

/** The directory itself if it exists, else its nearest existing ancestor (which `run` would create it in). */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  try {
    return { path, isDirectory: (await stat(path)).isDirectory() };
  } catch (error) {
    const parent = dirname(path);
    // ENOTDIR: a file further up is in the way, which the ancestor walk finds and names.
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === path) throw error;
    return nearestExisting(parent);
  }
}

/** Whether `run` could create and write the state directory; changes nothing. */
export async function checkStateDir(stateDir: string): Promise<CheckResult> {
  const fix = "give the user running ica-orchestrator write access (chown/chmod), or choose another with --state_dir";
  let found: { path: string; isDirectory: boolean };
  try {
    found = await nearestExisting(stateDir);
  } catch (error) {
    return { name, status: "fail", detail: `${stateDir} cannot be inspected (${(error as NodeJS.ErrnoException).code})`, fix };
  }
  if (!found.isDirectory) {
    return { name, status: "fail", detail: `${found.path} is a file, in the way of ${stateDir}`, fix: "remove it, or choose another directory with --state_dir" };
  }
  try {
    await access(found.path, constants.W_OK | constants.X_OK);
  } catch (error) {
    return { name, status: "fail", detail: `${found.path} is not writable (${(error as NodeJS.ErrnoException).code})`, fix };
  }
  const detail = found.path === stateDir ? `${stateDir} is writable` : `${stateDir} does not exist yet; ${found.path} is writable, so run will create it`;
  return { name, status: "ok", detail };
}
