import type { IcaClient } from "../../ica/client.js";
import type { LinkingJobStatus } from "../../ica/schemas.js";
import { DeadlineExceededError, pollUntil, type PollOptions } from "./poll.js";

/**
 * Items per linking batch: a ~200 KB request. V4 states no limit; V3 recommends at most 25,000
 * (L7480). Batches hold files of any analyses, so a round of analyses needs one or two batches.
 */
const defaultLinkChunkSize = 5_000;

/** Job states after which a linking batch changes no more. */
const terminalBatchStatuses: readonly LinkingJobStatus[] = ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "STOPPED"];

/** Item statuses that mean "the data is in the destination project"; ALREADY_LINKED makes re-runs idempotent. */
const linkedItemStatuses = ["LINKED", "ALREADY_LINKED"] as const;

export function isTerminalBatchStatus(status: string): boolean {
  return (terminalBatchStatuses as readonly string[]).includes(status.toUpperCase());
}

export function isLinkedItemStatus(status: string): boolean {
  return (linkedItemStatuses as readonly string[]).includes(status.toUpperCase());
}

export interface LinkItemResult {
  dataId: string;
  /** Item processing status as ICA spells it (LINKED, ALREADY_LINKED, FAILED, PARTIALLY_LINKED...), or
   * MISSING when the batch reported nothing for the id, TIMED_OUT when the batch outlived the deadline. */
  status: string;
  linked: boolean;
  info: string | null;
}

interface LinkBatchResult {
  batchId: string;
  status: LinkingJobStatus | "TIMED_OUT";
  dataIds: string[];
}

export interface LinkOutcome {
  batches: LinkBatchResult[];
  items: LinkItemResult[];
  /** Requested ids not linked (any status but LINKED/ALREADY_LINKED): link them again later. */
  failedDataIds: string[];
}

export interface LinkOptions {
  chunkSize?: number;
  /**
   * Whether to read the items of a batch that SUCCEEDED (default true). Every item of such a batch is
   * LINKED or ALREADY_LINKED, so a caller that checks the destination afterwards can skip the read —
   * a call per batch — and gets them as LINKED.
   */
  readSucceededItems?: boolean;
  poll?: PollOptions;
  /** Called right after each batch is created, before waiting: the place to journal the batch id. */
  onBatchCreated?: (batchId: string, dataIds: readonly string[]) => void | Promise<void>;
  /** Called as each batch reaches a terminal state (or TIMED_OUT), before its items are read. */
  onBatchSettled?: (batch: LinkBatchResult) => void;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Polls a batch until its job is terminal (SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, STOPPED). */
export async function waitForLinkingBatch(
  ica: IcaClient,
  projectId: string,
  batchId: string,
  poll: PollOptions = {},
): Promise<LinkingJobStatus> {
  const batch = await pollUntil(
    `Data linking batch ${batchId}`,
    () => ica.getLinkingBatch(projectId, batchId),
    (b) => isTerminalBatchStatus(b.job.status),
    (b) => b.job.status,
    poll,
  );
  return batch.job.status;
}

/** Per-item outcome of a batch, for the ids it was asked to link (missing ones reported as MISSING). */
async function readLinkingBatchItems(
  ica: IcaClient,
  projectId: string,
  batchId: string,
  dataIds: readonly string[],
): Promise<LinkItemResult[]> {
  const byDataId = new Map<string, LinkItemResult>();
  for await (const item of ica.listLinkingBatchItems(projectId, batchId)) {
    byDataId.set(item.dataId, { dataId: item.dataId, status: item.status, linked: isLinkedItemStatus(item.status), info: item.info });
  }
  return dataIds.map((dataId) => byDataId.get(dataId) ?? { dataId, status: "MISSING", linked: false, info: null });
}

/**
 * Links data into a project: batches of `chunkSize`, each polled to a terminal state within the
 * deadline, then read item by item. A batch that outlives the deadline is reported TIMED_OUT with its
 * items failed, to be linked again later (they then come back ALREADY_LINKED if the batch did finish).
 */
export async function linkData(
  ica: IcaClient,
  projectId: string,
  dataIds: readonly string[],
  opts: LinkOptions = {},
): Promise<LinkOutcome> {
  const unique = [...new Set(dataIds)];
  const created: { batchId: string; dataIds: string[] }[] = [];
  for (const ids of chunk(unique, opts.chunkSize ?? defaultLinkChunkSize)) {
    const batch = await ica.createLinkingBatch(projectId, ids);
    await opts.onBatchCreated?.(batch.id, ids);
    created.push({ batchId: batch.id, dataIds: ids });
  }
  const results = await Promise.all(created.map((b) => settleBatch(ica, projectId, b, opts)));
  const items = results.flatMap((r) => r.items);
  return {
    batches: results.map((r) => r.batch),
    items,
    failedDataIds: items.filter((i) => !i.linked).map((i) => i.dataId),
  };
}

async function settleBatch(
  ica: IcaClient,
  projectId: string,
  b: { batchId: string; dataIds: string[] },
  opts: LinkOptions,
): Promise<{ batch: LinkBatchResult; items: LinkItemResult[] }> {
  try {
    const status = await waitForLinkingBatch(ica, projectId, b.batchId, opts.poll);
    opts.onBatchSettled?.({ ...b, status });
    const items =
      status === "SUCCEEDED" && opts.readSucceededItems === false
        ? b.dataIds.map((dataId) => ({ dataId, status: "LINKED", linked: true, info: null }))
        : await readLinkingBatchItems(ica, projectId, b.batchId, b.dataIds);
    return { batch: { ...b, status }, items };
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    opts.onBatchSettled?.({ ...b, status: "TIMED_OUT" });
    return {
      batch: { ...b, status: "TIMED_OUT" },
      items: b.dataIds.map((dataId) => ({ dataId, status: "TIMED_OUT", linked: false, info: error.message })),
    };
  }
}
