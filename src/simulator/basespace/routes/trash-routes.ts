import { DEFAULT_SORT, SCOPE_EMPTY_TRASH, SCOPE_READ, SCOPE_TRASH, TRASH_STATUS_RESTORED } from "../assumptions.js";
import { pageOf, parsePaging, v2List } from "../paging.js";
import type { BsRoute } from "../route-kit.js";
import { TRASH_SORT_FIELDS, trashSortKey } from "../sorting.js";
import type { RouteDeps } from "./route-deps.js";

/** The caller's trash ([NOTES-BS] §10): trash ids are the trash items' own ids, not the dataset/run ids. */
export function trashRoutes({ store, shapes, lifecycle, assumptions }: RouteDeps): BsRoute[] {
  return [
    {
      method: "GET",
      path: "/v2/trash",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req, caller) => {
        const paging = parsePaging(req.query, TRASH_SORT_FIELDS, DEFAULT_SORT.trash, assumptions);
        const { page, paging: counts } = pageOf(store.trashOf(caller.user.id), paging, trashSortKey, (e) => e.trashId);
        return { body: v2List(page.map((e) => shapes.trashItemCompact(e)), counts) };
      },
    },
    {
      method: "DELETE",
      path: "/v2/trash",
      api: "v2",
      scopes: SCOPE_EMPTY_TRASH,
      handle: (_req, caller) => {
        lifecycle.emptyTrash(caller);
        return {};
      },
    },
    {
      method: "GET",
      path: "/v2/trash/{id}",
      api: "v2",
      scopes: SCOPE_READ,
      handle: (req, caller) => ({ body: shapes.trashItem(lifecycle.trashEntry(caller, req.params.id ?? "")) }),
    },
    {
      method: "POST",
      path: "/v2/trash/{id}/restorefromtrash",
      api: "v2",
      scopes: SCOPE_TRASH,
      handle: (req, caller) => ({
        body: shapes.trashItem(lifecycle.restoreFromTrash(caller, req.params.id ?? ""), TRASH_STATUS_RESTORED),
      }),
    },
  ];
}
