import { forEachFileUnder } from "../../modules/outputs/index.js";
import type { CycleContext } from "../cycle-context.js";

/**
 * Sizes output folders the journal has no size for (delivered before sizes were kept, or recorded by
 * `--adopt record`): ICA gives folders no size, so their files are summed, in one multi-folder listing,
 * and kept in the journal (`outputBytes`) so that each folder is listed once, ever.
 */
export async function sizeUnknownFolders(
  ctx: CycleContext,
  sourceId: string,
  folders: ReadonlyArray<{ analysisId: string; path: string }>,
): Promise<void> {
  const unknown = folders.filter((folder) => ctx.journal.data.outputBytes[folder.analysisId] === undefined);
  if (unknown.length === 0) return;
  const bytes = new Map<string, number>(unknown.map((folder) => [folder.analysisId, 0]));
  await forEachFileUnder(
    ctx.ica,
    sourceId,
    unknown.map((folder) => ({ key: folder.analysisId, path: folder.path })),
    (analysisId, file) => bytes.set(analysisId, (bytes.get(analysisId) ?? 0) + (file.sizeBytes ?? 0)),
  );
  for (const [analysisId, total] of bytes) ctx.journal.recordOutputBytes(analysisId, total);
}
