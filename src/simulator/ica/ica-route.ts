import type { SimContext } from "../context.js";
import type { Handler, SimRequest, SimResponse } from "../http/router.js";
import type { AnalysisLaunches } from "./analysis-launches.js";
import type { AnalysisRecord } from "./analysis-representation.js";
import { FOREIGN_PROJECT_STATUS } from "./assumptions.js";
import type { Authenticator } from "./authenticator.js";
import type { DataItem } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import type { AnalysisEvents } from "./events/analysis-events.js";
import type { Directory, Principal, ProjectEntry } from "./directory.js";
import type { IdempotencyStore } from "./idempotency-store.js";
import type { LinkingBatches } from "./linking-batches.js";
import { type ApiVersion, type MediaTypes, negotiateVersion, vendorJson } from "./media-type.js";
import type { Page, Pager } from "./paging.js";
import { ProblemError, notFound, problemResponse } from "./problem.js";
import { rejectMiscasedParams } from "./query-params.js";

export const apiBase = "/ica/rest/api";

/** The simulator's state and services, shared by every ICA route module. */
export interface IcaRuntime {
  ctx: SimContext;
  directory: Directory;
  store: DataStore;
  auth: Authenticator;
  pager: Pager;
  idempotency: IdempotencyStore;
  batches: LinkingBatches;
  analyses: Map<string, AnalysisRecord>;
  launches: AnalysisLaunches;
  events: AnalysisEvents;
}

export interface IcaCall {
  req: SimRequest;
  principal: Principal;
  /** The representation version negotiated from Accept / Content-Type. */
  version: ApiVersion;
}

interface RouteOptions {
  media: MediaTypes;
  /** `POST /api/tokens` is the one operation that takes only the API key. */
  credentials?: "api-key";
}

/** Media types of the many operations that only speak V3. */
export const v3Only: MediaTypes = { responses: ["v3"], requests: ["v3"] };
export const v3OrV4: MediaTypes = { responses: ["v3", "v4"], requests: ["v3", "v4"] };

/**
 * Wraps an ICA handler: authenticate, negotiate the media type, and turn a thrown ProblemError into
 * an `application/problem+json` response.
 */
export function icaRoute(rt: IcaRuntime, options: RouteOptions, handle: (call: IcaCall) => SimResponse | Promise<SimResponse>): Handler {
  return async (req) => {
    try {
      const principal = options.credentials === "api-key" ? rt.auth.fromApiKey(req) : rt.auth.authenticate(req);
      rejectMiscasedParams(req.query);
      return await handle({ req, principal, version: negotiateVersion(req, options.media) });
    } catch (error) {
      if (error instanceof ProblemError) return problemResponse(error, req.path, rt.ctx.clock.now());
      throw error;
    }
  };
}

export function requireProject(rt: IcaRuntime, call: IcaCall): ProjectEntry {
  const id = call.req.params.projectId ?? "";
  const project = rt.directory.projectFor(call.principal, id);
  if (project) return project;
  if (rt.directory.project(id)) throw new ProblemError(FOREIGN_PROJECT_STATUS, `project ${id} was not found`);
  throw notFound(`project ${id} was not found; list your projects with GET /api/projects`);
}

/** Data the project owns or has linked in; anything else (also deleted data) is 404. */
export function requireData(rt: IcaRuntime, project: ProjectEntry, dataId: string): DataItem {
  const item = rt.store.visibleIn(project.id, dataId);
  if (!item) throw notFound(`data ${dataId} was not found in project ${project.id}`);
  return item;
}

/**
 * Runs a create operation under its `Idempotency-Key` header, scoped to the operation, tenant and
 * user as the spec describes (e.g. L12815).
 */
export function idempotent(rt: IcaRuntime, call: IcaCall, respond: () => SimResponse): Promise<SimResponse> {
  const key = call.req.headers["idempotency-key"];
  const scope = `${call.req.route}\u0000${call.principal.tenantId}\u0000${call.principal.userId}`;
  return rt.idempotency.run(scope, typeof key === "string" ? key : undefined, call.req.body, respond);
}

const pagingParams = new Set(["pageSize", "pageToken", "pageOffset", "sort"]);

/** What a page token is bound to: the operation, its path parameters, filters and body — not the paging. */
export function listingOf(req: SimRequest): string {
  const filters = [...req.query.entries()].filter(([name]) => !pagingParams.has(name)).sort();
  return JSON.stringify([req.route, req.params, filters, req.body.toString("utf8")]);
}

/** A paged list response with items rendered by `render`. */
export function pagedJson<T>(version: ApiVersion, page: Page<T>, render: (item: T) => unknown): SimResponse {
  return vendorJson(200, version, { ...page, items: page.items.map(render) });
}
