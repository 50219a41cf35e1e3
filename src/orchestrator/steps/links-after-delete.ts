import { findData } from "../../modules/outputs/index.js";
import type { ListedCycle } from "../cycle-facts.js";
import { noteContradiction } from "../contradictions.js";
import type { StepRecorder } from "../step-recorder.js";

const assumption = "ica.source-delete-removes-links";

/**
 * Whether deleting a delivered analysis' source folder took its links in the destination with it
 * (ledger `ica.source-delete-removes-links`). Looked at on one such analysis, once its folder is gone
 * from the source, until the ledger holds an answer: one lookup and one destination listing page per
 * cycle, and none after. Links that survive contradict it, which stops ICA deletes until acknowledged.
 */
export async function checkLinksAfterDelete(ctx: ListedCycle, rec: StepRecorder): Promise<void> {
  if (ctx.ledger.of(assumption) !== undefined) return;
  const deleted = Object.entries(ctx.journal.data.classifications).find(
    ([analysisId, known]) => known.kind === "ica" && known.outputStatus?.status === "DELETED" && ctx.journal.data.delivered[analysisId] !== undefined,
  )?.[1];
  if (deleted?.outputFolderId === undefined || deleted.outputFolderPath === undefined) return;
  // A delete still under way (DELETING) may not have reached the links yet.
  if ((await findData(ctx.ica, ctx.projects.source.id, deleted.outputFolderId)) !== undefined) return;
  const path = deleted.outputFolderPath;
  for await (const file of ctx.ica.listData(ctx.projects.destination.id, { filePath: [path], type: "FILE" })) {
    noteContradiction(ctx, rec, {
      assumption,
      evidence: `the destination still lists ${file.path} (${file.id}) after its source folder ${path} was deleted`,
    });
    return;
  }
  ctx.ledger.confirm(assumption, `the destination lists nothing under ${path} after its source folder was deleted`, ctx.now);
}

