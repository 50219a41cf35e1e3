import type { BasespaceFixture } from "../fixtures/format.js";
import { USER_CREATED_DAYS_AGO } from "./assumptions.js";
import type { BsDataset, BsItem, BsProject, BsRun, BsToken, BsTrashEntry, BsUser } from "./model.js";

const DAY_MS = 86_400_000;

/** Everything the store starts from; maps are keyed by id (tokens by the token string). */
export interface InitialState {
  users: Map<string, BsUser>;
  userCreatedMs: number;
  tokens: Map<string, BsToken>;
  projects: Map<string, BsProject>;
  datasets: Map<string, BsDataset>;
  runs: Map<string, BsRun>;
  trash: Map<string, BsTrashEntry>;
}

type ItemBase = Omit<BsItem, "kind">;

function itemBase(f: { id: string; name: string; ownerId: string; createdMs: number; sizeBytes: number; isArchived: boolean }): ItemBase {
  return { ...f, modifiedMs: f.createdMs, restorePending: false, trashId: undefined };
}

/** The fixture's "days ago" become dates relative to `loadMs`; a dataset takes its owner from its project. */
export function stateFromFixture(fixture: BasespaceFixture, loadMs: number): InitialState {
  const ago = (days: number) => loadMs - days * DAY_MS;
  const projects = new Map(
    fixture.projects.map((p) => [p.id, { id: p.id, name: p.name, ownerId: p.ownerId, createdMs: ago(p.createdDaysAgo) }]),
  );
  const datasets = new Map<string, BsDataset>();
  for (const d of fixture.datasets) {
    const project = projects.get(d.projectId);
    if (!project) {
      throw new Error(`fixture basespace dataset ${d.id} names project ${d.projectId}, which is not in basespace.projects; add it`);
    }
    const base = itemBase({ ...d, ownerId: project.ownerId, createdMs: ago(d.createdDaysAgo) });
    datasets.set(d.id, { ...base, kind: "dataset", projectId: d.projectId });
  }
  const runs = new Map<string, BsRun>();
  for (const r of fixture.runs) {
    const base = itemBase({ ...r, createdMs: ago(r.createdDaysAgo) });
    runs.set(r.id, { ...base, kind: "run", experimentName: r.experimentName, status: r.status });
  }
  const trash = new Map<string, BsTrashEntry>();
  for (const t of fixture.trash) {
    const deletedMs = ago(t.deletedDaysAgo);
    // An entry whose item is described nowhere else gets just enough state to be listed and restored.
    const base = itemBase({ id: t.itemId, name: t.name, ownerId: t.deletedByUserId, createdMs: deletedMs, sizeBytes: t.sizeBytes, isArchived: false });
    let item: BsItem | undefined = t.kind === "dataset" ? datasets.get(t.itemId) : runs.get(t.itemId);
    if (!item && t.kind === "dataset") datasets.set(t.itemId, (item = { ...base, kind: "dataset", projectId: undefined }));
    if (!item) runs.set(t.itemId, (item = { ...base, kind: "run", experimentName: t.name, status: "Complete" }));
    item.trashId = t.trashId;
    trash.set(t.trashId, { trashId: t.trashId, item, deletedMs, deletedByUserId: t.deletedByUserId });
  }
  return {
    users: new Map(fixture.users.map((u) => [u.id, { ...u }])),
    userCreatedMs: ago(USER_CREATED_DAYS_AGO),
    tokens: new Map(fixture.tokens.map((t, i) => [t.token, { id: String(1000 + i), ...t }])),
    projects,
    datasets,
    runs,
    trash,
  };
}
