import type { Router } from "../../http/router.js";
import type { DataItem } from "../data-item.js";
import { type DataListing, childrenListing, dataListing } from "../data-query.js";
import { toData, toProjectData } from "../data-representation.js";
import { type IcaCall, type IcaRuntime, apiBase, icaRoute, listingOf, pagedJson, requireData, requireProject, v3Only, v3OrV4 } from "../ica-route.js";
import { vendorJson } from "../media-type.js";
import { type SortFields, parsePaging } from "../paging.js";
import { honouredQuery } from "../query-params.js";

/** Sortable attributes of data (spec L5897-5907). */
const sortFields: SortFields<DataItem> = {
  timeCreated: (d) => d.timeCreatedMs,
  timeModified: (d) => d.timeModifiedMs,
  name: (d) => d.name,
  path: (d) => d.path,
  fileSizeInBytes: (d) => d.sizeBytes,
  status: (d) => d.status,
  format: (d) => d.formatCode,
  dataType: (d) => d.dataType,
  willBeArchivedAt: () => undefined,
  willBeDeletedAt: () => undefined,
};

/** Listing, one item, and children (spec L5611, L6350, L6479). */
export function registerDataRoutes(router: Router, rt: IcaRuntime): void {
  const page = (call: IcaCall, projectId: string, listing: DataListing) => {
    const result = rt.pager.page(parsePaging(call.req.query, rt.ctx.timings.icaMaxPageSize), {
      listing: listingOf(call.req),
      ...listing,
      sortFields,
      version: rt.store.version,
    });
    return pagedJson(call.version, result, (d) => toProjectData(projectId, d, rt));
  };

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/data`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const project = requireProject(rt, call);
      return page(call, project.id, dataListing(rt.store, rt.store.view(project.id), honouredQuery(call.req.query, rt.ctx.assumptions)));
    }),
  );

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/data/{dataId}`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const project = requireProject(rt, call);
      const item = requireData(rt, project, call.req.params.dataId ?? "");
      return vendorJson(200, call.version, toProjectData(project.id, item, rt));
    }),
  );

  // V3: a bare, unpaged DataList; V4: a paged ProjectDataPagedList (the endpoint's changelog).
  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/data/{dataId}/children`,
    icaRoute(rt, { media: v3OrV4 }, (call) => {
      const project = requireProject(rt, call);
      const folder = requireData(rt, project, call.req.params.dataId ?? "");
      const listing = childrenListing(rt.store.view(project.id), folder, honouredQuery(call.req.query, rt.ctx.assumptions));
      if (call.version === "v4") return page(call, project.id, listing);
      const items: unknown[] = [];
      for (const item of listing.source.scan(undefined)) if (!listing.filter || listing.filter(item)) items.push(toData(item, rt));
      return vendorJson(200, call.version, { items });
    }),
  );
}
