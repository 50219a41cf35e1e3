import type { BaseSpaceClient, BulkIds } from "../../basespace/client.js";
import { chunk } from "../data-transfer/linking.js";

/** The BaseSpace UI archives or restores at most 250 items at once ([ARCH], notes §9); so do we. */
export const maxBulkIds = 250;

export interface BulkResult {
  /** Requests sent, each with at most 250 ids of one kind. */
  requests: number;
  datasetIds: string[];
  runIds: string[];
}

async function inBatches(bs: BaseSpaceClient, action: "archive" | "restore", ids: BulkIds): Promise<BulkResult> {
  const datasetIds = [...new Set(ids.datasetIds ?? [])];
  const runIds = [...new Set(ids.runIds ?? [])];
  let requests = 0;
  for (const batch of chunk(datasetIds, maxBulkIds)) {
    await bs.bulk(action, { datasetIds: batch });
    requests += 1;
  }
  for (const batch of chunk(runIds, maxBulkIds)) {
    await bs.bulk(action, { runIds: batch });
    requests += 1;
  }
  return { requests, datasetIds, runIds };
}

/** Archives datasets and runs (`IsArchived` flips at once; moving the data takes days). */
export function archiveItems(bs: BaseSpaceClient, ids: BulkIds): Promise<BulkResult> {
  return inBatches(bs, "archive", ids);
}

/** Requests a restore (billed, up to 48 h); items stay `IsArchived` until it completes. */
export function restoreItems(bs: BaseSpaceClient, ids: BulkIds): Promise<BulkResult> {
  return inBatches(bs, "restore", ids);
}
