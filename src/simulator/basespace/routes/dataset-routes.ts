import { DEFAULT_SORT, SCOPE_READ, SCOPE_TRASH } from "../assumptions.js";
import { pageOf, parsePaging, v2List } from "../paging.js";
import { booleanParam, queryParam } from "../query.js";
import type { BsRoute } from "../route-kit.js";
import { DATASET_SORT_FIELDS, datasetSortKey } from "../sorting.js";
import type { RouteDeps } from "./route-deps.js";

export function datasetRoutes({ store, shapes, lifecycle, assumptions }: RouteDeps): BsRoute[] {
  return [
    {
      method: "GET",
      path: "/v2/datasets",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => {
        const projectId = queryParam(req.query, "projectid");
        const archived = booleanParam(req.query, "isarchived");
        const paging = parsePaging(req.query, DATASET_SORT_FIELDS, DEFAULT_SORT.datasets, assumptions);
        const matching = store
          .liveDatasets()
          .filter((d) => projectId === undefined || d.projectId === projectId)
          .filter((d) => archived === undefined || d.isArchived === archived);
        const { page, paging: counts } = pageOf(matching, paging, datasetSortKey(store), (d) => d.id);
        return { body: v2List(page.map((d) => shapes.datasetCompact(d)), counts) };
      },
    },
    {
      method: "GET",
      path: "/v2/datasets/{id}",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => ({ body: shapes.dataset(lifecycle.read("dataset", req.params.id ?? "")) }),
    },
    {
      // Not in the swagger: [REF] uses it to move a dataset to the trash ([NOTES-BS] §10, UNCONFIRMED).
      method: "DELETE",
      path: "/v2/datasets/{id}",
      api: "v2",
      scopes: SCOPE_TRASH,
      handle: (req, caller) => ({ body: shapes.trashItem(lifecycle.moveToTrash(caller, "dataset", req.params.id ?? "")) }),
    },
  ];
}
