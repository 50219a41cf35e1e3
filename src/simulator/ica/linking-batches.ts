import type { SimContext } from "../context.js";
import { UNLINKABLE_STATUSES } from "./assumptions.js";
import type { DataItem } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import type { Directory, Principal } from "./directory.js";
import { stableUuid } from "./ids.js";
import type { ApiVersion } from "./media-type.js";
import type { LinkVia } from "./project-data-view.js";

/** `Job.status` (spec L13950); the simulator never stops a job or makes it wait for resources. */
type JobStatus = "INITIALIZED" | "WAITING_FOR_RESOURCES" | "RUNNING" | "STOPPED" | "SUCCEEDED" | "PARTIALLY_SUCCEEDED" | "FAILED";
export const itemStatuses = ["INITIALISED", "WAITING_RESOURCES", "RUNNING", "LINKED", "ALREADY_LINKED", "FAILED", "PARTIALLY_LINKED"] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export interface BatchItem {
  id: string;
  /** Position in the batch: the items listing's cursor order. */
  seq: number;
  dataId: string;
  status: ItemStatus;
  info?: string;
  /** The data as linked into the destination, for `createdProjectData`. */
  linked?: DataItem;
}

export interface LinkingBatch {
  id: string;
  jobId: string;
  projectId: string;
  /** V3 expands folders into one item per descendant; V4 links a folder as one item (spec L7470). */
  version: ApiVersion;
  principal: Principal;
  jobStatus: JobStatus;
  jobInfo?: string;
  /** Bumped on every state change, so cached offset listings of the items never go stale. */
  revision: number;
  timeCreatedMs: number;
  timeStartedMs?: number;
  timeFinishedMs?: number;
  items: BatchItem[];
}

type LinkOutcome = "linked" | "already" | string;

const linkedOk: readonly ItemStatus[] = ["LINKED", "ALREADY_LINKED"];

/**
 * Data linking batches (`POST …/dataLinkingBatch`): INITIALIZED on creation, RUNNING at once, and after
 * `timings.icaLinkBatchMs` every item is resolved and the job ends SUCCEEDED, PARTIALLY_SUCCEEDED or
 * FAILED. Links appear only then (notes §7). Linked data keeps its id and path; it is shared, not copied.
 */
export class LinkingBatches {
  private readonly batches = new Map<string, LinkingBatch>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly ctx: SimContext,
    private readonly store: DataStore,
    private readonly directory: Directory,
  ) {}

  get(projectId: string, batchId: string): LinkingBatch | undefined {
    const batch = this.batches.get(batchId);
    return batch?.projectId === projectId ? batch : undefined;
  }

  count(): number {
    return this.batches.size;
  }

  create(principal: Principal, projectId: string, dataIds: string[], version: ApiVersion): LinkingBatch {
    const request = `${projectId}\u0000${version}\u0000${dataIds.join(",")}`;
    const generation = this.generations.get(request) ?? 0;
    this.generations.set(request, generation + 1);
    const id = stableUuid("link-batch", request, String(generation));
    this.vanishInjected(dataIds);
    const requested = version === "v3" ? dataIds.flatMap((dataId) => this.expandV3(principal, dataId)) : dataIds;
    const batch: LinkingBatch = {
      id,
      jobId: stableUuid("link-job", id),
      projectId,
      version,
      principal,
      jobStatus: "INITIALIZED",
      revision: 0,
      timeCreatedMs: this.ctx.clock.now(),
      items: requested.map((dataId, seq) => ({ id: stableUuid("link-item", id, String(seq)), seq, dataId, status: "INITIALISED" })),
    };
    this.batches.set(id, batch);
    this.ctx.scheduler.after(0, () => this.start(batch));
    this.ctx.scheduler.after(this.ctx.timings.icaLinkBatchMs, () => this.finish(batch));
    return batch;
  }

  // Scheduled changes run lazily (before the next request), so times come from the schedule, not the clock.
  private start(batch: LinkingBatch): void {
    batch.jobStatus = "RUNNING";
    batch.revision++;
    batch.timeStartedMs = batch.timeCreatedMs;
    for (const item of batch.items) item.status = "RUNNING";
  }

  private finish(batch: LinkingBatch): void {
    for (const item of batch.items) this.resolve(batch, item);
    const ok = batch.items.filter((i) => linkedOk.includes(i.status)).length;
    const failed = batch.items.filter((i) => i.status === "FAILED").length;
    batch.jobStatus = ok === batch.items.length ? "SUCCEEDED" : failed === batch.items.length ? "FAILED" : "PARTIALLY_SUCCEEDED";
    if (ok < batch.items.length) batch.jobInfo = `${batch.items.length - ok} of ${batch.items.length} items were not (fully) linked`;
    batch.timeFinishedMs = batch.timeCreatedMs + this.ctx.timings.icaLinkBatchMs;
    batch.revision++;
  }

  /** V3 creates "separate items for all contents" of a folder (spec L7478-7483). */
  private expandV3(principal: Principal, dataId: string): string[] {
    const source = this.accessible(principal, dataId);
    if (source?.dataType !== "FOLDER") return [dataId];
    return [...this.store.subtree(this.store.view(source.owningProjectId), source)]
      .filter((d) => d.owningProjectId === source.owningProjectId)
      .map((d) => d.id);
  }

  private accessible(principal: Principal, dataId: string): DataItem | undefined {
    const item = this.store.get(dataId);
    return item && this.directory.projectFor(principal, item.owningProjectId) ? item : undefined;
  }

  private injectedFailure(dataId: string): boolean {
    const { dataIds, rate } = this.ctx.faults().linkItemFailures;
    return dataIds.includes(dataId) || (rate > 0 && this.ctx.random() < rate);
  }

  /** An injected fault: a person deletes these source files just before our batch would link them. */
  private vanishInjected(dataIds: readonly string[]): void {
    const doomed = new Set(this.ctx.faults().vanishBeforeLink.dataIds);
    const vanishing = dataIds.filter((dataId) => doomed.has(dataId)).map((dataId) => this.store.get(dataId));
    this.store.remove(vanishing.filter((item) => item !== undefined));
  }

  private resolve(batch: LinkingBatch, item: BatchItem): void {
    const fail = (info: string): void => {
      item.status = "FAILED";
      item.info = info;
    };
    const source = this.accessible(batch.principal, item.dataId);
    if (!source) return fail(`data ${item.dataId} does not exist or is not accessible`);
    if (this.injectedFailure(item.dataId)) return fail("linking failed (injected fault)");
    if (!this.directory.project(source.owningProjectId)?.dataSharingEnabled) {
      return fail(`project ${source.owningProjectId} does not allow its data to be linked (dataSharingEnabled is false)`);
    }
    if (UNLINKABLE_STATUSES.includes(source.status)) return fail(`data ${source.path} is ${source.status} and cannot be linked`);
    if (source.dataType === "FILE" || batch.version === "v3") {
      const outcome = this.linkOne(batch.projectId, source, "item");
      if (outcome === "linked" || outcome === "already") {
        item.status = outcome === "linked" ? "LINKED" : "ALREADY_LINKED";
        item.linked = source;
      } else fail(outcome);
      return;
    }
    this.linkFolder(batch.projectId, source, item);
  }

  /** V4 folder item: the folder and all its contents; some contents failing makes it PARTIALLY_LINKED. */
  private linkFolder(projectId: string, folder: DataItem, item: BatchItem): void {
    const contents = [...this.store.subtree(this.store.view(folder.owningProjectId), folder)].filter(
      (d) => d.owningProjectId === folder.owningProjectId,
    );
    const { dataIds } = this.ctx.faults().linkItemFailures;
    let linked = 0;
    const failures: string[] = [];
    for (const data of contents) {
      const outcome =
        data !== folder && dataIds.includes(data.id)
          ? `${data.path}: linking failed (injected fault)`
          : this.linkOne(projectId, data, data === folder ? "item" : "folder-content");
      if (outcome === "linked") linked++;
      else if (outcome !== "already") failures.push(outcome);
    }
    item.linked = folder;
    if (failures.length === 0) item.status = linked > 0 ? "LINKED" : "ALREADY_LINKED";
    else {
      item.status = failures.length < contents.length ? "PARTIALLY_LINKED" : "FAILED";
      item.info = `${failures.length} of ${contents.length} items not linked; first: ${failures[0]}`;
    }
  }

  private linkOne(projectId: string, data: DataItem, via: LinkVia): LinkOutcome {
    const view = this.store.view(projectId);
    if (view.contains(data)) return "already";
    // `ica.link-keeps-path=root`: a file linked on its own lands in the root folder.
    const path = via === "item" && data.dataType === "FILE" && this.ctx.assumptions.is("ica.link-keeps-path", "root") ? `/${data.name}` : data.path;
    const occupant = view.atPath(path);
    if (occupant) return `${path}: another data item (${occupant.id}) already exists at this path in the destination project`;
    this.store.link(data, projectId, via, path);
    return "linked";
  }
}
