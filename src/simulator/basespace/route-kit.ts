import type { Handler, SimRequest, SimResponse } from "../http/router.js";
import { REQUEST_ID_HEADER } from "./assumptions.js";
import { BsError, forbidden, unauthorized, unsupportedMediaType } from "./bs-error.js";
import type { Caller } from "./model.js";
import { queryParam } from "./query.js";
import type { BasespaceStore } from "./store.js";

type ApiVersion = "v1pre3" | "v2";

/** What a route handler returns: for v1pre3 `body` is the `Response` member, the envelope is added here. */
interface BsResult {
  status?: number;
  /** Omitted: no body at all (`DELETE /v2/trash` answers a bare 200). */
  body?: unknown;
}

export interface BsRoute {
  method: string;
  /** OpenAPI-style template, the route's name in `/__sim/stats`. */
  path: string;
  api: ApiVersion;
  /** Any one of these scopes suffices; `null` means any valid token. */
  scopes: readonly string[] | null;
  handle(req: SimRequest, caller: Caller): BsResult;
}

const normalizeScope = (s: string) => s.trim().replace(/\s+/g, " ").toUpperCase();

/** The token from `Authorization: Bearer`, `x-access-token`, or `?access_token=` ([NOTES-BS] §2). */
function accessTokenOf(req: SimRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ""));
  if (bearer?.[1]) return bearer[1];
  const header = req.headers["x-access-token"];
  if (typeof header === "string" && header.trim() !== "") return header.trim();
  const query = queryParam(req.query, "access_token");
  return query === undefined || query === "" ? undefined : query;
}

function authenticate(store: BasespaceStore, req: SimRequest): Caller {
  const token = accessTokenOf(req);
  if (token === undefined) {
    throw unauthorized("no access token: send 'Authorization: Bearer <token>', 'x-access-token: <token>' or '?access_token=<token>'");
  }
  const record = store.tokenFor(token);
  const user = record && store.users.get(record.userId);
  if (!record || !user) throw unauthorized("the access token is not valid; create one with `bs auth` and use its accessToken");
  return { token: record, user };
}

function requireScope(caller: Caller, route: BsRoute): void {
  if (route.scopes === null) return;
  const held = new Set(caller.token.scopes.map(normalizeScope));
  if (route.scopes.some((s) => held.has(normalizeScope(s)))) return;
  throw forbidden(
    `${route.method} ${route.path} needs one of the scopes [${route.scopes.join(", ")}]; re-authorise the token with it`,
    { RequiredScopes: [...route.scopes] },
  );
}

/**
 * The swagger's one `consumes` is application/json: a body under any other Content-Type (or none) is
 * refused as ASP.NET refuses it, so a client that labels its body wrongly finds out here.
 */
function requireJsonBody(req: SimRequest): void {
  if (req.body.length === 0) return;
  const type = String(req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return;
  throw unsupportedMediaType(`${req.method} ${req.path}: Content-Type ${type || "(none)"} is not supported; send the body as application/json`);
}

function errorBody(api: ApiVersion, err: BsError, requestId: string): unknown {
  if (api === "v2") {
    return { ErrorCode: err.code, ErrorMessage: err.message, RequestId: requestId, AdditionalData: err.additionalData };
  }
  return { ResponseStatus: { ErrorCode: err.code, Message: err.message, Errors: [] }, Notifications: [] };
}

function json(status: number, requestId: string, body: unknown): SimResponse {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
  if (body === undefined) return { status, headers };
  headers["content-type"] = "application/json; charset=utf-8";
  // Serialised here so that a bare string (the archive/restore answer) goes out as a JSON string.
  return { status, headers, body: JSON.stringify(body) };
}

/** Wraps a route: request id, token, scope, the version's envelope, and BsError → the version's error body. */
export function toHandler(route: BsRoute, store: BasespaceStore, newRequestId: () => string): Handler {
  return (req) => {
    const requestId = newRequestId();
    try {
      const caller = authenticate(store, req);
      requireScope(caller, route);
      requireJsonBody(req);
      const result = route.handle(req, caller);
      const body =
        route.api === "v1pre3" && result.body !== undefined
          ? { Response: result.body, ResponseStatus: {}, Notifications: [] }
          : result.body;
      return json(result.status ?? 200, requestId, body);
    } catch (err) {
      if (err instanceof BsError) return json(err.status, requestId, errorBody(route.api, err, requestId));
      throw err;
    }
  };
}
