import type { Router } from "../../http/router.js";
import type { ProjectEntry } from "../directory.js";
import { type IcaRuntime, apiBase, icaRoute, listingOf, pagedJson, requireProject, v3Only } from "../ica-route.js";
import { vendorJson } from "../media-type.js";
import { type SortFields, arraySource, parsePaging } from "../paging.js";
import { toProject } from "../project-representation.js";
import { booleanParam, rejectUnsimulatedParams } from "../query-params.js";

const sortFields: SortFields<ProjectEntry> = {
  name: (p) => p.name,
  shortDescription: () => undefined,
  information: () => undefined,
};

/** `GET /api/projects` (spec L4752) and `GET /api/projects/{projectId}`. */
export function registerProjectRoutes(router: Router, rt: IcaRuntime): void {
  router.add(
    "GET",
    `${apiBase}/projects`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const query = call.req.query;
      rejectUnsimulatedParams(query, ["workgroups"]);
      // Every simulated project is active, so hidden ones never exist; the flag is still validated.
      booleanParam(query, "includeHiddenProjects", false);
      const search = query.get("search")?.toLowerCase();
      const region = query.get("region");
      const tagged = query.getAll("userTags").length + query.getAll("technicalTags").length > 0;
      const page = rt.pager.page(parsePaging(query, rt.ctx.timings.icaMaxPageSize), {
        listing: listingOf(call.req),
        // Projects carry no tags, so a tag filter matches none of them.
        source: arraySource(rt.directory.projectsOf(call.principal), (p) => `${p.name.toLowerCase()}\u0000${p.id}`),
        filter: (p) =>
          !tagged && (search === undefined || p.name.toLowerCase().includes(search)) && (region === null || p.regionId === region),
        sortFields,
        version: 0,
      });
      return pagedJson(call.version, page, toProject);
    }),
  );
  router.add(
    "GET",
    `${apiBase}/projects/{projectId}`,
    icaRoute(rt, { media: v3Only }, (call) => vendorJson(200, call.version, toProject(requireProject(rt, call)))),
  );
}
