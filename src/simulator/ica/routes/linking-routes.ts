import { z } from "zod";
import type { Router } from "../../http/router.js";
import { type IcaCall, type IcaRuntime, apiBase, icaRoute, listingOf, pagedJson, requireProject, v3Only, v3OrV4 } from "../ica-route.js";
import { type LinkingBatch, itemStatuses } from "../linking-batches.js";
import { itemStatusIn, toBatchItem, toLinkingBatch } from "../linking-representation.js";
import { vendorJson } from "../media-type.js";
import { arraySource, parsePaging } from "../paging.js";
import { notFound } from "../problem.js";
import { allOf } from "../query-params.js";
import { readJsonBody } from "../request-body.js";

/** `CreateProjectDataLinkingBatch` (spec L19528). */
const createBatch = z.object({ items: z.array(z.object({ dataId: z.string().min(1) })).min(1) });

const batchPath = `${apiBase}/projects/{projectId}/dataLinkingBatch`;

/** Data linking batches (spec L7470-L7680). */
export function registerLinkingRoutes(router: Router, rt: IcaRuntime): void {
  const requireBatch = (call: IcaCall): LinkingBatch => {
    const project = requireProject(rt, call);
    const batch = rt.batches.get(project.id, call.req.params.batchId ?? "");
    if (!batch) throw notFound(`data linking batch ${call.req.params.batchId} was not found in project ${project.id}`);
    return batch;
  };

  // V4 is the recommended version (spec changelog); an unversioned request gets V3 semantics.
  router.add(
    "POST",
    batchPath,
    icaRoute(rt, { media: { responses: ["v4", "v3"], requests: ["v4", "v3"] } }, (call) => {
      const project = requireProject(rt, call);
      const body = readJsonBody(call.req, createBatch);
      const batch = rt.batches.create(call.principal, project.id, body.items.map((i) => i.dataId), call.version);
      return vendorJson(201, call.version, toLinkingBatch(batch, rt.directory));
    }),
  );

  // Only a v3 response exists for the batch itself (notes §2).
  router.add(
    "GET",
    `${batchPath}/{batchId}`,
    icaRoute(rt, { media: v3Only }, (call) => vendorJson(200, call.version, toLinkingBatch(requireBatch(call), rt.directory))),
  );

  router.add(
    "GET",
    `${batchPath}/{batchId}/items`,
    icaRoute(rt, { media: v3OrV4 }, (call) => {
      const batch = requireBatch(call);
      const statuses: readonly string[] = allOf(call.req.query, "status", itemStatuses);
      const page = rt.pager.page(parsePaging(call.req.query, rt.ctx.timings.icaMaxPageSize), {
        listing: listingOf(call.req),
        source: arraySource(batch.items, (i) => String(i.seq).padStart(10, "0")),
        filter: statuses.length ? (i) => statuses.includes(itemStatusIn(i.status, call.version)) : undefined,
        sortFields: {},
        version: batch.revision,
      });
      return pagedJson(call.version, page, (item) => toBatchItem(batch, item, call.version, rt));
    }),
  );

  router.add(
    "GET",
    `${batchPath}/{batchId}/items/{itemId}`,
    icaRoute(rt, { media: v3OrV4 }, (call) => {
      const batch = requireBatch(call);
      const item = batch.items.find((i) => i.id === call.req.params.itemId);
      if (!item) throw notFound(`item ${call.req.params.itemId} is not part of data linking batch ${batch.id}`);
      return vendorJson(200, call.version, toBatchItem(batch, item, call.version, rt));
    }),
  );
}
