/**
 * BaseSpace runs in scope of the lifecycle (`basespace_runs`):
 * - `all`: every run of the account, as the predecessor does (the default);
 * - `related`: only runs whose name is the run folder of an analysis of the source project;
 * - `none`: no runs.
 */
import type { BasespaceRunMode } from "../../config/setting-records.js";

/**
 * The run folder an ICA BCLConvert reference starts with: `<runFolder>_<6 hex>_<6 hex>-<rest>`, e.g.
 * `20240529_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert_v4_1_23_patch1-<uuid>` →
 * `20240529_LH00619_0013_B22CCFJLT4`. The first such pair of hex groups ends the folder. Null when the reference has another shape (e.g. DRAGEN `<yyyymmdd_hhmmss>-<uuid>`).
 */
export function runFolderFromReference(reference: string): string | null {
  const match = /^(.+?)_[0-9a-f]{6}_[0-9a-f]{6}-/i.exec(reference);
  return match?.[1] ?? null;
}

/** Exact name match: run names are instrument run folders, which are case-exact identifiers. */
export function selectRuns<R extends { name: string }>(
  runs: readonly R[],
  mode: BasespaceRunMode,
  sourceReferences: Iterable<string>,
): R[] {
  if (mode === "none") return [];
  if (mode === "all") return [...runs];
  const folders = new Set<string>();
  for (const reference of sourceReferences) {
    const folder = runFolderFromReference(reference);
    if (folder !== null) folders.add(folder);
  }
  return runs.filter((run) => folders.has(run.name));
}
