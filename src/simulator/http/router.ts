import type { IncomingHttpHeaders } from "node:http";

/** A request as the simulator's route handlers see it: body fully read, params from the template. */
export interface SimRequest {
  method: string;
  /** Path without the query string, percent-decoded per segment. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
  /** The matched route template, e.g. `GET /ica/rest/api/projects/{projectId}`. */
  route: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /**
   * A Buffer or string is sent as is; a Readable is streamed (the handler sets Content-Length); anything
   * else is JSON-encoded. `undefined` sends no body.
   */
  body?: unknown;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RouteMatch {
  route: string;
  handler: Handler;
  params: Record<string, string>;
}

interface CompiledRoute {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * Routes are written as OpenAPI path templates (`/projects/{projectId}/data/{dataId}:archive`) so the
 * route names in `/__sim/stats` read exactly like the spec. A parameter never spans `/` or `:`, which
 * is what lets `{dataId}:archive` and `{dataId}` coexist (ICA ids contain neither character).
 * A greedy parameter `{name+}` (S3's `/{Bucket}/{Key+}`) takes the rest of the path, `/` included.
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}+]+)(\+?)\}$/.exec(part);
        if (param?.[1]) {
          names.push(param[1]);
          return param[2] ? "(.+)" : "([^/:]+)";
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    this.routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Returns the match, `"method-not-allowed"` when the path exists under another method, or undefined. */
  match(method: string, path: string): RouteMatch | "method-not-allowed" | undefined {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== method.toUpperCase()) {
        pathKnown = true;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { route: `${r.method} ${r.template}`, handler: r.handler, params };
    }
    return pathKnown ? "method-not-allowed" : undefined;
  }

  /** Every route template, `METHOD /path`, for the contract test and docs. */
  list(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }
}
