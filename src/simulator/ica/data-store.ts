import { type DataItem, type DataStatus, type DataType, lowerPathOf, parentPathOf } from "./data-item.js";
import { formatCodeFor } from "./data-format.js";
import { stableHex } from "./ids.js";
import { type LinkVia, ProjectDataView } from "./project-data-view.js";

export interface NewData {
  projectId: string;
  path: string;
  dataType: DataType;
  status: DataStatus;
  timeCreatedMs: number;
  sizeBytes?: number;
  formatCode?: string;
  creatorId?: string;
  hasContent?: boolean;
}

/** Status and time given to parent folders created on the way to a new item. */
export interface FolderDefaults {
  status: DataStatus;
  timeCreatedMs: number;
  creatorId?: string;
}

/** Shared answer for the (many) items linked nowhere: the state views ask for every item. */
const noProjects: ReadonlySet<string> = new Set();

/**
 * All ICA data: items by id, one view per project, and which projects each item is linked into.
 * Every change bumps `version`, which keys the cached offset listings.
 */
export class DataStore {
  private readonly views = new Map<string, ProjectDataView>();
  private readonly items = new Map<string, DataItem>();
  private readonly linkedInto = new Map<string, Set<string>>();
  /** `<owning project>\0<id>` of items deleted there whose links survive elsewhere (`ica.source-delete-removes-links`). */
  private readonly orphans = new Set<string>();
  /** Deletions per `<project>\0<path>`: the generation of the next item created at that path. */
  private readonly deletions = new Map<string, number>();
  private bulk = false;
  private lastFolder: { view: ProjectDataView; path: string } | undefined;
  version = 0;
  readonly removed = { files: 0, folders: 0 };

  constructor(projectIds: Iterable<string>) {
    for (const id of projectIds) this.views.set(id, new ProjectDataView(id));
  }

  view(projectId: string): ProjectDataView {
    const view = this.views.get(projectId);
    if (!view) throw new Error(`no ICA project ${projectId} in the simulator's fixture`);
    return view;
  }

  get(id: string): DataItem | undefined {
    return this.items.get(id);
  }

  /** The item when `projectId` owns it or has it linked in. */
  visibleIn(projectId: string, id: string): DataItem | undefined {
    const item = this.items.get(id);
    const view = this.views.get(projectId);
    if (!item || !view?.contains(item) || this.orphans.has(`${projectId}\u0000${id}`)) return undefined;
    return view.placed(item);
  }

  allItems(): IterableIterator<DataItem> {
    return this.items.values();
  }

  projectsLinking(item: DataItem): ReadonlySet<string> {
    return this.linkedInto.get(item.id) ?? noProjects;
  }

  /** Loads many items without keeping the indexes ordered, then orders them once. */
  loadInBulk(load: () => void): void {
    this.bulk = true;
    try {
      load();
    } finally {
      this.bulk = false;
      for (const view of this.views.values()) view.sortAll();
    }
  }

  /**
   * Creates an item, and any missing parent folder. Its id hashes project, path and how many items
   * have been created at that path before — stable across runs, distinct after a delete and re-create.
   */
  create(data: NewData, parents: FolderDefaults): DataItem {
    this.ensureFolders(data.projectId, parentPathOf(data.path), parents);
    // A path holds one item at a time, so "items created here before" = "items deleted here".
    const generation = this.deletions.size === 0 ? 0 : (this.deletions.get(`${data.projectId}\u0000${data.path}`) ?? 0);
    const prefix = data.dataType === "FOLDER" ? "fol." : "fil.";
    const nameEnd = data.dataType === "FOLDER" ? data.path.length - 1 : data.path.length;
    const name = data.path.slice(data.path.lastIndexOf("/", nameEnd - 1) + 1, nameEnd);
    const lowerPath = lowerPathOf(data.path);
    const item: DataItem = {
      id: prefix + stableHex(data.projectId, data.path, String(generation)),
      owningProjectId: data.projectId,
      path: data.path,
      lowerPath,
      name,
      dataType: data.dataType,
      status: data.status,
      sizeBytes: data.dataType === "FILE" ? data.sizeBytes : undefined,
      formatCode: data.dataType === "FILE" ? (data.formatCode ?? formatCodeFor(lowerPath)) : undefined,
      timeCreatedMs: data.timeCreatedMs,
      timeModifiedMs: data.timeCreatedMs,
      statusChangedMs: data.timeCreatedMs,
      creatorId: data.creatorId,
      hasContent: data.hasContent ?? false,
    };
    this.items.set(item.id, item);
    this.view(data.projectId).add(item, undefined, this.bulk);
    this.version++;
    return item;
  }

  /** Creates `folderPath` and any missing parent folder (`/a/b/` → `/a/`, `/a/b/`). */
  ensureFolders(projectId: string, folderPath: string, defaults: FolderDefaults): void {
    const view = this.view(projectId);
    // Siblings come one after another, so comparing with the last folder seen skips most lookups.
    if (folderPath === "/" || (this.lastFolder?.view === view && this.lastFolder.path === folderPath)) return;
    // create() ensures the parent first, so this walks up only as far as folders are missing.
    if (!view.atPath(folderPath)) this.create({ projectId, path: folderPath, dataType: "FOLDER", ...defaults }, defaults);
    this.lastFolder = { view, path: folderPath };
  }

  /**
   * Links `item` into a project, listed there at its own path or, given `atPath`, at that one (a view of
   * the item whose status, size and dates stay the item's).
   */
  link(item: DataItem, projectId: string, via: LinkVia, atPath?: string): void {
    if (atPath === undefined || atPath === item.path) this.view(projectId).add(item, via, this.bulk);
    else this.view(projectId).addPlaced(Object.assign(Object.create(item) as DataItem, { path: atPath, lowerPath: lowerPathOf(atPath) }), via);
    let projects = this.linkedInto.get(item.id);
    if (!projects) this.linkedInto.set(item.id, (projects = new Set()));
    projects.add(projectId);
    this.version++;
  }

  /** The folder (or file) and everything under it that `view` lists, in path order. */
  *subtree(view: ProjectDataView, root: DataItem): Generator<DataItem> {
    if (root.dataType === "FILE") {
      yield root;
      return;
    }
    const { lo, hi } = view.index.prefixRange(root.lowerPath);
    for (const item of view.index.iterate(lo, hi)) if (item.path.startsWith(root.path)) yield item;
  }

  setStatus(item: DataItem, status: DataStatus, nowMs: number): void {
    item.status = status;
    item.statusChangedMs = nowMs;
    item.timeModifiedMs = nowMs;
    this.version++;
  }

  /**
   * Deletes items from their owning project and from every project they are linked into — or, with
   * `keepLinks`, only from the owning project: linked elsewhere, they stay listed there.
   */
  remove(doomed: Iterable<DataItem>, { keepLinks = false } = {}): void {
    const perProject = new Map<string, Set<DataItem>>();
    const add = (projectId: string, item: DataItem): void => {
      perProject.set(projectId, (perProject.get(projectId) ?? new Set()).add(item));
    };
    for (const item of doomed) {
      if (this.items.get(item.id) !== item) continue;
      add(item.owningProjectId, item);
      if (keepLinks && this.linkedInto.has(item.id)) this.orphans.add(`${item.owningProjectId}\u0000${item.id}`);
      else {
        this.items.delete(item.id);
        for (const projectId of this.linkedInto.get(item.id) ?? []) add(projectId, item);
        this.linkedInto.delete(item.id);
      }
      const pathKey = `${item.owningProjectId}\u0000${item.path}`;
      this.deletions.set(pathKey, (this.deletions.get(pathKey) ?? 0) + 1);
      if (item.dataType === "FILE") this.removed.files++;
      else this.removed.folders++;
    }
    for (const [projectId, items] of perProject) this.view(projectId).remove(items);
    this.lastFolder = undefined;
    this.version++;
  }

  /** The file behind an object-store key `<owningProjectId><path>`, if one exists. */
  byObjectKey(key: string): DataItem | undefined {
    const slash = key.indexOf("/");
    if (slash < 1) return undefined;
    const item = this.views.get(key.slice(0, slash))?.atPath(key.slice(slash));
    return item?.owningProjectId === key.slice(0, slash) ? item : undefined;
  }
}
