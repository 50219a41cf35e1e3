import type { IcaClient } from "../ica/client.js";
import { forEachFileUnder, type FolderRef } from "../modules/outputs/index.js";
import type { IcaManagedAnalysis } from "./plan/plan-ica-lifecycle.js";
import type { ProtectList } from "./plan/protect.js";

interface ProtectedFile {
  /** The protect entry that matched. */
  entry: string;
  path: string;
}

/**
 * For each folder, the first file under it (at any depth) that the protect list matches by id, name or
 * path. Archiving or deleting a folder takes everything in it, so a folder holding a protected file
 * must be left alone as a whole. With an empty protect list nothing is read. A failed listing throws:
 * without knowing what a folder holds, it must not be acted on.
 */
async function protectedContents<K>(
  ica: IcaClient,
  projectId: string,
  folders: readonly FolderRef<K>[],
  protect: ProtectList,
): Promise<Map<K, ProtectedFile>> {
  const found = new Map<K, ProtectedFile>();
  if (protect.entries.length === 0 || folders.length === 0) return found;
  await forEachFileUnder(ica, projectId, folders, (key, file) => {
    const entry = protect.match([file.id, file.name, file.path]);
    if (entry !== null && !found.has(key)) found.set(key, { entry, path: file.path });
  });
  return found;
}

/** Folder states in which the ICA lifecycle may act (see icaStorageState); others only wait. */
const actionableStatuses = new Set(["AVAILABLE", "ARCHIVED"]);

/**
 * The ICA lifecycle's subjects, each output folder that holds a protected file marked `holdsProtected`.
 * Only folders the lifecycle could act on are read: not held, not busy, not protected themselves.
 */
export async function markProtectedContents(
  ica: IcaClient,
  projectId: string,
  analyses: readonly IcaManagedAnalysis[],
  protect: ProtectList,
): Promise<IcaManagedAnalysis[]> {
  const candidates = analyses.filter(
    (a) =>
      a.hold === undefined &&
      actionableStatuses.has(a.outputFolder.status) &&
      protect.match([a.analysisId, a.reference, a.userReference, a.outputFolder.id, a.outputFolder.path]) === null,
  );
  const held = await protectedContents(
    ica,
    projectId,
    candidates.map((a) => ({ key: a.analysisId, path: a.outputFolder.path })),
    protect,
  );
  return analyses.map((a) => {
    const file = held.get(a.analysisId);
    return file ? { ...a, holdsProtected: file } : a;
  });
}
