import { hash } from "node:crypto";
import { objectKeyOf } from "./data-item.js";
import type { IcaRuntime } from "./ica-route.js";

/** Data rows are tuples, not objects: a million rows hash much faster without a million key sorts. */
const dataColumns = ["id", "path", "type", "status", "size", "sha256"];

/**
 * The state digest's input: projects with their own data (id, path, type, status, size, content hash),
 * links and analysis statuses — sorted, and free of timestamps and ephemeral ids (batches, idempotency keys).
 */
export function icaSnapshot(rt: IcaRuntime): unknown {
  const projects = [...rt.directory.allProjects()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((project) => ({
      id: project.id,
      name: project.name,
      data: rt.store
        .view(project.id)
        .index.all()
        .filter((d) => d.owningProjectId === project.id)
        .map((d) => {
          const bytes = d.hasContent ? rt.ctx.objects.get(objectKeyOf(d)) : undefined;
          return [d.id, d.path, d.dataType, d.status, d.sizeBytes ?? null, bytes ? hash("sha256", bytes) : null];
        }),
    }));
  const links: { dataId: string; projects: string[] }[] = [];
  for (const d of rt.store.allItems()) {
    const projects = rt.store.projectsLinking(d);
    if (projects.size > 0) links.push({ dataId: d.id, projects: [...projects].sort() });
  }
  links.sort((a, b) => (a.dataId < b.dataId ? -1 : 1));
  const analyses = [...rt.analyses.values()].map((a) => ({ id: a.id, status: a.status })).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { dataColumns, projects, links, analyses };
}

/** Named counts for `/__sim/state`. */
export function icaCounts(rt: IcaRuntime): Record<string, number | Record<string, number>> {
  const filesPerProject: Record<string, number> = {};
  const foldersPerProject: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let linkedItems = 0;
  for (const d of rt.store.allItems()) {
    const perProject = d.dataType === "FILE" ? filesPerProject : foldersPerProject;
    perProject[d.owningProjectId] = (perProject[d.owningProjectId] ?? 0) + 1;
    if (d.dataType === "FILE") byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
    linkedItems += rt.store.projectsLinking(d).size;
  }
  return {
    filesPerProject,
    foldersPerProject,
    filesByStatus: byStatus,
    archivedFiles: byStatus.ARCHIVED ?? 0,
    linkedItems,
    deletedFiles: rt.store.removed.files,
    deletedFolders: rt.store.removed.folders,
    linkingBatches: rt.batches.count(),
    analyses: rt.analyses.size,
    events: rt.events.history.count(),
    eventDeliveries: { ...rt.events.delivery.counts },
  };
}
