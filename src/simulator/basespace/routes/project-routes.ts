import { DEFAULT_SORT, SCOPE_READ } from "../assumptions.js";
import { notFound } from "../bs-error.js";
import { pageOf, parsePaging, v1pre3List, v2List } from "../paging.js";
import { booleanParam } from "../query.js";
import type { BsRoute } from "../route-kit.js";
import { DATASET_SORT_FIELDS, datasetSortKey, PROJECT_SORT_FIELDS, projectSortKey } from "../sorting.js";
import type { RouteDeps } from "./route-deps.js";

/** Projects are listed through v1pre3 only: v2 has no project listing ([NOTES-BS] §6). */
export function projectRoutes({ store, shapes, assumptions }: RouteDeps): BsRoute[] {
  const project = (id: string) => {
    const p = store.projects.get(id);
    if (!p) throw notFound(`project ${id} does not exist; GET /v1pre3/users/current/projects lists project ids`);
    return p;
  };
  return [
    {
      method: "GET",
      path: "/v1pre3/users/current/projects",
      api: "v1pre3",
      scopes: SCOPE_READ,
      handle: (req) => {
        const paging = parsePaging(req.query, PROJECT_SORT_FIELDS, DEFAULT_SORT.projects, assumptions);
        const { page, paging: counts } = pageOf([...store.projects.values()], paging, projectSortKey(store), (p) => p.id);
        return { body: v1pre3List(page.map((p) => shapes.projectCompact(p)), counts) };
      },
    },
    {
      method: "GET",
      path: "/v2/projects/{id}",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => ({ body: shapes.project(project(req.params.id ?? "")) }),
    },
    {
      method: "GET",
      path: "/v2/projects/{id}/datasets",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => {
        const p = project(req.params.id ?? "");
        const archived = booleanParam(req.query, "isarchived");
        const paging = parsePaging(req.query, DATASET_SORT_FIELDS, DEFAULT_SORT.datasets, assumptions);
        const matching = store
          .projectDatasets(p.id)
          .filter((d) => archived === undefined || d.isArchived === archived);
        const { page, paging: counts } = pageOf(matching, paging, datasetSortKey(store), (d) => d.id);
        return { body: v2List(page.map((d) => shapes.datasetCompact(d)), counts) };
      },
    },
  ];
}
