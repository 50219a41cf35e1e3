import type { InitialState } from "./fixture-state.js";
import type { BsDataset, BsItem, BsItemKind, BsProject, BsRun, BsToken, BsTrashEntry, BsUser } from "./model.js";

export interface ProjectSummary {
  totalSize: number;
  modifiedMs: number;
}

/** What a lookup by id finds: the item (maybe in the trash), a purged id, or nothing. */
export type ItemLookup<T extends BsItem> = { found: T } | { removed: true } | undefined;

/**
 * The in-memory BaseSpace: users, tokens, projects, datasets, runs and the trash.
 * It only holds and moves state; who may do what is decided by the routes and lifecycle.ts.
 */
export class BasespaceStore {
  readonly users: Map<string, BsUser>;
  readonly userCreatedMs: number;
  readonly projects: Map<string, BsProject>;
  readonly datasets: Map<string, BsDataset>;
  readonly runs: Map<string, BsRun>;
  private readonly tokens: Map<string, BsToken>;
  private readonly trash: Map<string, BsTrashEntry>;
  /** Ids removed for good by `DELETE /v2/trash`, per kind. */
  readonly purged = { dataset: new Set<string>(), run: new Set<string>() };
  private revision = 0;
  private summariesRevision = -1;
  private readonly summaries = new Map<string, ProjectSummary>();

  constructor(
    initial: InitialState,
    private readonly newTrashId: () => string,
  ) {
    this.users = initial.users;
    this.userCreatedMs = initial.userCreatedMs;
    this.projects = initial.projects;
    this.datasets = initial.datasets;
    this.runs = initial.runs;
    this.tokens = initial.tokens;
    this.trash = initial.trash;
  }

  tokenFor(token: string): BsToken | undefined {
    return this.tokens.get(token);
  }

  /** Datasets and runs outside the trash: what listings show. */
  liveDatasets(): BsDataset[] {
    return [...this.datasets.values()].filter((d) => d.trashId === undefined);
  }

  liveRuns(): BsRun[] {
    return [...this.runs.values()].filter((r) => r.trashId === undefined);
  }

  /** A project's datasets outside the trash. */
  projectDatasets(projectId: string): BsDataset[] {
    return this.liveDatasets().filter((d) => d.projectId === projectId);
  }

  /** Records a change to an item (archive flag, trash), so derived project totals are recomputed. */
  changed(item: BsItem, nowMs: number): void {
    item.modifiedMs = nowMs;
    this.revision++;
  }

  /**
   * A project's TotalSize (its datasets outside the trash) and DateModified (its latest change). Computed
   * for all projects in one pass per state change: a page of 1024 datasets embeds its project 1024 times.
   */
  projectSummary(project: BsProject): ProjectSummary {
    if (this.summariesRevision !== this.revision) {
      this.summaries.clear();
      for (const d of this.liveDatasets()) {
        if (d.projectId === undefined) continue;
        const sum = this.summaries.get(d.projectId) ?? { totalSize: 0, modifiedMs: 0 };
        sum.totalSize += d.sizeBytes;
        sum.modifiedMs = Math.max(sum.modifiedMs, d.modifiedMs);
        this.summaries.set(d.projectId, sum);
      }
      this.summariesRevision = this.revision;
    }
    const sum = this.summaries.get(project.id);
    return { totalSize: sum?.totalSize ?? 0, modifiedMs: Math.max(project.createdMs, sum?.modifiedMs ?? 0) };
  }

  lookup<K extends BsItemKind>(kind: K, id: string): ItemLookup<Extract<BsItem, { kind: K }>> {
    const found = this.itemOf(kind, id) as Extract<BsItem, { kind: K }> | undefined;
    if (found) return { found };
    return this.purged[kind].has(id) ? { removed: true } : undefined;
  }

  /** Trash entries of items the user owns: everyone has their own trash. */
  trashOf(userId: string): BsTrashEntry[] {
    return [...this.trash.values()].filter((e) => e.item.ownerId === userId);
  }

  allTrash(): BsTrashEntry[] {
    return [...this.trash.values()];
  }

  trashEntry(trashId: string): BsTrashEntry | undefined {
    return this.trash.get(trashId);
  }

  moveToTrash(item: BsItem, byUserId: string, nowMs: number): BsTrashEntry {
    let trashId = this.newTrashId();
    while (this.trash.has(trashId)) trashId = this.newTrashId();
    item.trashId = trashId;
    this.changed(item, nowMs);
    const entry = { trashId, item, deletedMs: nowMs, deletedByUserId: byUserId };
    this.trash.set(trashId, entry);
    return entry;
  }

  restoreFromTrash(entry: BsTrashEntry, nowMs: number): void {
    this.trash.delete(entry.trashId);
    entry.item.trashId = undefined;
    this.changed(entry.item, nowMs);
  }

  /** Removes the entries and their items for good. */
  purge(entries: BsTrashEntry[]): void {
    for (const { trashId, item } of entries) {
      this.trash.delete(trashId);
      (item.kind === "dataset" ? this.datasets : this.runs).delete(item.id);
      this.purged[item.kind].add(item.id);
    }
    this.revision++;
  }

  private itemOf(kind: BsItemKind, id: string): BsItem | undefined {
    return kind === "dataset" ? this.datasets.get(id) : this.runs.get(id);
  }
}
