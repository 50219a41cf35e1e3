import { type DataItem, parentPathOf } from "./data-item.js";
import { SortedDataIndex } from "./sorted-data-index.js";

/** How linked data got into a project: on its own, or as content of a folder linked with V4. */
export type LinkVia = "item" | "folder-content";

/**
 * Everything one project lists: its own data and data linked into it (same id, same path). Three
 * indexes: by path order (prefix listings, cursors), by parent folder (one-level listings), by exact path.
 */
export class ProjectDataView {
  readonly index = new SortedDataIndex();
  private readonly byParent = new Map<string, SortedDataIndex>();
  private readonly byPath = new Map<string, DataItem>();
  private readonly links = new Map<string, LinkVia>();
  /** Linked items this project lists at another path than their own (`ica.link-keeps-path=root`), by id. */
  private readonly placedItems = new Map<string, DataItem>();
  private lastParent: { path: string; index: SortedDataIndex } | undefined;

  constructor(readonly projectId: string) {}

  contains(item: DataItem): boolean {
    return item.owningProjectId === this.projectId || this.links.has(item.id);
  }

  atPath(path: string): DataItem | undefined {
    return this.byPath.get(path);
  }

  /** The item as this project lists it: at the path it was linked to, when that differs from its own. */
  placed(item: DataItem): DataItem {
    return this.placedItems.get(item.id) ?? item;
  }

  linkVia(item: DataItem): LinkVia | undefined {
    return this.links.get(item.id);
  }

  /** One-level children of a folder path, or undefined when nothing lists there. */
  childrenOf(parentPath: string): SortedDataIndex | undefined {
    return this.byParent.get(parentPath);
  }

  /** `bulk` appends unordered (fixture load); call `sortAll()` once afterwards. */
  add(item: DataItem, via: LinkVia | undefined, bulk = false): void {
    const before = this.byPath.size;
    this.byPath.set(item.path, item);
    // Callers check for a free path first; this guards the invariant without a second lookup.
    if (this.byPath.size === before) throw new Error(`${item.path} appears twice in project ${this.projectId}; paths must be unique`);
    if (via) this.links.set(item.id, via);
    // The spec: parentFolderId/Path "does not work for contents from a linked folder".
    const siblings = via === "folder-content" ? undefined : this.childIndex(parentPathOf(item.path));
    if (bulk) {
      this.index.append(item);
      siblings?.append(item);
    } else {
      this.index.insert(item);
      siblings?.insert(item);
    }
  }

  /** A linked item listed here at another path: `placed` shares the item's state but has its own path. */
  addPlaced(placed: DataItem, via: LinkVia): void {
    this.add(placed, via);
    this.placedItems.set(placed.id, placed);
  }

  sortAll(): void {
    this.index.sort();
    for (const children of this.byParent.values()) children.sort();
  }

  remove(items: ReadonlySet<DataItem>): void {
    if (items.size === 0) return;
    const parents = new Map<string, Set<DataItem>>();
    const listed = new Set([...items].map((item) => this.placed(item)));
    for (const item of listed) {
      this.links.delete(item.id);
      this.placedItems.delete(item.id);
      if (this.byPath.get(item.path) === item) this.byPath.delete(item.path);
      const parent = parentPathOf(item.path);
      parents.set(parent, (parents.get(parent) ?? new Set()).add(item));
    }
    if (listed.size === 1) for (const item of listed) this.index.remove(item);
    else this.index.removeAll(listed);
    for (const [parent, children] of parents) {
      const index = this.byParent.get(parent);
      if (!index) continue;
      if (children.size === 1) for (const child of children) index.remove(child);
      else index.removeAll(children);
      if (index.size === 0) {
        this.byParent.delete(parent);
        if (this.lastParent?.index === index) this.lastParent = undefined;
      }
    }
  }

  private childIndex(parentPath: string): SortedDataIndex {
    // Loads add siblings one after another: comparing with the last parent avoids hashing the path again.
    if (this.lastParent?.path === parentPath) return this.lastParent.index;
    let index = this.byParent.get(parentPath);
    if (!index) {
      index = new SortedDataIndex();
      this.byParent.set(parentPath, index);
    }
    this.lastParent = { path: parentPath, index };
    return index;
  }
}
