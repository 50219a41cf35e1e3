import { forEachFileUnder } from "../modules/outputs/index.js";
import type { CycleContext } from "./cycle-context.js";
import type { IcaManagedAnalysis } from "./plan/plan-ica-lifecycle.js";

interface ProtectedFile {
  /** The protect entry that matched. */
  entry: string;
  path: string;
}

/** Folder states in which the ICA lifecycle may act (see icaStorageState); others only wait. */
const actionableStatuses = new Set(["AVAILABLE", "ARCHIVED"]);

/**
 * What the ICA lifecycle's plan needs from the files under its subjects' folders, read in one
 * multi-folder listing:
 * - each folder that holds a file the protect list matches (by id, name or path) is marked
 *   `holdsProtected`: archiving or deleting a folder takes everything in it, so it is left alone as a
 *   whole. Only folders the lifecycle could act on are read for this (not held, not busy, not protected
 *   themselves), and none with an empty protect list. A failed listing throws: without knowing what a
 *   folder holds, it must not be acted on;
 * - a folder whose size the journal lacks gets the sum of its files' sizes (ICA gives folders none),
 *   kept in the journal (`outputBytes`) so that each is summed once, ever, for the plan's rows, the
 *   estimates and the storage under management.
 */
export async function readSubjectFiles(ctx: CycleContext, projectId: string, analyses: readonly IcaManagedAnalysis[]): Promise<IcaManagedAnalysis[]> {
  const protect = ctx.protect;
  const toSize = new Set(analyses.filter((a) => ctx.journal.data.outputBytes[a.analysisId] === undefined).map((a) => a.analysisId));
  const toSearch = new Set(
    protect.entries.length === 0
      ? []
      : analyses
          .filter(
            (a) =>
              a.hold === undefined &&
              actionableStatuses.has(a.outputFolder.status) &&
              protect.match([a.analysisId, a.reference, a.userReference, a.outputFolder.id, a.outputFolder.path]) === null,
          )
          .map((a) => a.analysisId),
  );
  const found = new Map<string, ProtectedFile>();
  const bytes = new Map<string, number>([...toSize].map((id) => [id, 0]));
  const folders = analyses.filter((a) => toSize.has(a.analysisId) || toSearch.has(a.analysisId));
  if (folders.length > 0) {
    await forEachFileUnder(
      ctx.ica,
      projectId,
      folders.map((a) => ({ key: a.analysisId, path: a.outputFolder.path })),
      (key, file) => {
        if (toSize.has(key)) bytes.set(key, (bytes.get(key) ?? 0) + (file.sizeBytes ?? 0));
        if (!toSearch.has(key) || found.has(key)) return;
        const entry = protect.match([file.id, file.name, file.path]);
        if (entry !== null) found.set(key, { entry, path: file.path });
      },
    );
  }
  for (const [analysisId, total] of bytes) ctx.journal.recordOutputBytes(analysisId, total);
  return analyses.map((a) => {
    const file = found.get(a.analysisId);
    const outputFolder = { ...a.outputFolder, sizeBytes: a.outputFolder.sizeBytes ?? ctx.journal.data.outputBytes[a.analysisId] ?? null };
    return file ? { ...a, outputFolder, holdsProtected: file } : { ...a, outputFolder };
  });
}
