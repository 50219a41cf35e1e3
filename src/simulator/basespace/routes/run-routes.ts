import { DEFAULT_SORT, SCOPE_READ, SCOPE_TRASH } from "../assumptions.js";
import { pageOf, parsePaging, v1pre3List, v2List } from "../paging.js";
import { csvParam, queryParam } from "../query.js";
import type { BsRoute } from "../route-kit.js";
import { RUN_SORT_FIELDS, runSortKey } from "../sorting.js";
import type { SimRequest } from "../../http/router.js";
import type { RouteDeps } from "./route-deps.js";

export function runRoutes({ store, shapes, lifecycle, assumptions }: RouteDeps): BsRoute[] {
  /** `statuses` (both versions) and `experimentname` (v2) filters, then one sorted page. */
  const listRuns = (req: SimRequest) => {
    const statuses = csvParam(req.query, "statuses");
    const experiment = queryParam(req.query, "experimentname");
    const paging = parsePaging(req.query, RUN_SORT_FIELDS, DEFAULT_SORT.runs, assumptions);
    const matching = store
      .liveRuns()
      .filter((r) => statuses === undefined || statuses.has(r.status.toLowerCase()))
      .filter((r) => experiment === undefined || r.experimentName === experiment);
    return pageOf(matching, paging, runSortKey, (r) => r.id);
  };
  return [
    {
      method: "GET",
      path: "/v1pre3/users/current/runs",
      api: "v1pre3",
      scopes: SCOPE_READ,
      handle: (req) => {
        const { page, paging } = listRuns(req);
        return { body: v1pre3List(page.map((r) => shapes.v1pre3Run(r)), paging) };
      },
    },
    {
      method: "GET",
      path: "/v2/runs",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => {
        const { page, paging } = listRuns(req);
        return { body: v2List(page.map((r) => shapes.v2Run(r)), paging) };
      },
    },
    {
      method: "GET",
      path: "/v2/runs/{id}",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req) => ({ body: shapes.v2Run(lifecycle.read("run", req.params.id ?? "")) }),
    },
    {
      // Not in the swagger: [REF] uses it to move a run to the trash ([NOTES-BS] §10, UNCONFIRMED).
      method: "DELETE",
      path: "/v2/runs/{id}",
      api: "v2",
      scopes: SCOPE_TRASH,
      handle: (req, caller) => ({ body: shapes.trashItem(lifecycle.moveToTrash(caller, "run", req.params.id ?? "")) }),
    },
  ];
}
