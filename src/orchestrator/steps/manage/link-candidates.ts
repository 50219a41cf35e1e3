import { NotFoundError } from "../../../http/errors.js";
import {
  DeadlineExceededError,
  isTerminalBatchStatus,
  linkData,
  waitForLinkingBatch,
  type LinkItemResult,
} from "../../../modules/data-transfer/index.js";
import type { ActionLog } from "../../action-log.js";
import type { CycleContext } from "../../cycle-context.js";
import { idsToLink } from "../../plan/link-progress.js";
import { messageOf } from "../../step-recorder.js";
import type { Candidate } from "./candidates.js";

export interface SettledBatches {
  /** Candidates whose journaled batch was still running when the cycle started: list them again. */
  relist: Candidate[];
  /** Candidates left for the next cycle (a batch still running past the deadline), with the reason. */
  blocked: Map<string, string>;
}

/**
 * Waits for the linking batches an earlier cycle journaled before linking anything again: a killed
 * cycle's batch may still be running, and re-linking its files meanwhile would ask ICA twice.
 * Batches found finished are dropped from the journal, so each is looked at once.
 */
export async function settleJournaledBatches(
  ctx: CycleContext,
  destinationId: string,
  candidates: readonly Candidate[],
): Promise<SettledBatches> {
  const owners = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    for (const batchId of ctx.journal.data.managing[candidate.analysis.id]?.linkBatchIds ?? []) {
      owners.set(batchId, [...(owners.get(batchId) ?? []), candidate]);
    }
  }
  const settled: SettledBatches = { relist: [], blocked: new Map() };
  const relist = new Set<Candidate>();
  await Promise.all(
    [...owners].map(async ([batchId, batchOwners]) => {
      try {
        const batch = await ctx.ica.getLinkingBatch(destinationId, batchId);
        if (!isTerminalBatchStatus(batch.job.status)) {
          await waitForLinkingBatch(ctx.ica, destinationId, batchId, ctx.linkPoll);
          batchOwners.forEach((owner) => relist.add(owner));
        }
      } catch (error) {
        if (error instanceof DeadlineExceededError) {
          for (const owner of batchOwners) settled.blocked.set(owner.analysis.id, error.message);
          return;
        }
        // A batch ICA no longer knows has nothing left to do.
        if (!(error instanceof NotFoundError)) throw error;
      }
      for (const owner of batchOwners) ctx.journal.dropLinkBatches(owner.analysis.id, [batchId]);
    }),
  );
  settled.relist = [...relist].filter((c) => !settled.blocked.has(c.analysis.id));
  return settled;
}

export interface LinkResults {
  /** Item results per analysis id, for the files linked this cycle. */
  items: Map<string, LinkItemResult[]>;
  /** Set when linking failed as a whole; the analyses are finished by a later cycle. */
  error?: string;
}

/**
 * Links every selected file the destination lacks, for all candidates at once: linking batches hold
 * up to 5,000 files (defaultLinkChunkSize) of any analyses, so a round of analyses needs one or two batches and few status
 * polls. The items of a batch that SUCCEEDED are not read back: all of them are linked, and the
 * destination check that follows sees every file anyway. Each batch id goes to the journal entry of
 * every analysis it covers, and is saved, before the cycle waits for it.
 */
export async function linkMissing(
  ctx: CycleContext,
  actions: ActionLog,
  destinationId: string,
  candidates: readonly Candidate[],
): Promise<LinkResults> {
  const owner = new Map<string, string>();
  const paths = new Map<string, string>();
  for (const candidate of candidates) {
    const missing = new Set(idsToLink(candidate.selection.selected, candidate.linkedBefore));
    for (const file of candidate.selection.selected) {
      if (!missing.has(file.id)) continue;
      owner.set(file.id, candidate.analysis.id);
      paths.set(file.id, file.path);
    }
  }
  const ids = [...owner.keys()];
  const results: LinkResults = { items: new Map() };
  if (ids.length === 0) return results;
  const target = (batchIds: readonly string[]) => ({
    action: "link",
    ids: [...batchIds],
    paths: batchIds.map((id) => paths.get(id) ?? ""),
  });
  const created = new Set<string>();
  const progress = ctx.progress.start(ctx.logger, `linking ${ids.length} file(s)`);
  let settled = 0;
  actions.assertHeld();
  try {
    const outcome = await linkData(ctx.ica, destinationId, ids, {
      readSucceededItems: false,
      poll: { ...ctx.linkPoll, onPoll: () => progress.update(settled, ids.length) },
      onBatchSettled: (batch) => progress.update((settled += batch.dataIds.length), ids.length),
      onBatchCreated: async (batchId, batchIds) => {
        batchIds.forEach((id) => created.add(id));
        for (const analysisId of new Set(batchIds.map((id) => owner.get(id) as string))) {
          ctx.journal.recordLinkBatch(analysisId, batchId);
        }
        await ctx.journalWriter.save();
        await actions.record("manageNew", target(batchIds), "ok", `linking batch ${batchId}`);
      },
    });
    for (const item of outcome.items) {
      const analysisId = owner.get(item.dataId) as string;
      results.items.set(analysisId, [...(results.items.get(analysisId) ?? []), item]);
    }
    progress.finish(`${ids.length - outcome.failedDataIds.length} linked, ${outcome.failedDataIds.length} not`);
  } catch (error) {
    progress.finish(`stopped: ${messageOf(error)}`);
    const notCreated = ids.filter((id) => !created.has(id));
    if (notCreated.length > 0) await actions.record("manageNew", target(notCreated), "failed", messageOf(error));
    results.error = messageOf(error);
  }
  return results;
}
