export interface StatsSnapshot {
  /** Requests to ICA, BaseSpace and S3 (never the /__sim control plane), including faulted and unmatched ones. */
  total: number;
  /** Requests that may change state: see `isMutating`. A dry run must leave this at 0. */
  mutating: number;
  /** Requests answered by an injected fault (429/5xx/reset/slow). */
  faulted: number;
  /** Requests that matched no route (404) or no method of a known path (405). */
  unmatched: number;
  /** Per route template, e.g. `GET /ica/rest/api/projects/{projectId}/analyses`; keys sorted. */
  byRoute: Record<string, number>;
}

/**
 * POST operations that only read (ICA's `analysis:search`, `:createDownloadUrl`, JWT minting at
 * `POST /api/tokens`). Counting them as mutating would make "a dry run made no mutating request"
 * fail for a client that lists analyses through the V4 search.
 */
const readOnlyPost = [/:search$/, /:createDownloadUrl$/, /^POST \/ica\/rest\/api\/tokens$/];

function isMutating(method: string, route: string | undefined): boolean {
  if (method === "GET" || method === "HEAD") return false;
  return route === undefined || !readOnlyPost.some((pattern) => pattern.test(route));
}

/** Request counters behind `GET /__sim/stats`. */
export class RequestStats {
  private byRoute = new Map<string, number>();
  private total = 0;
  private mutating = 0;
  private faulted = 0;
  private unmatched = 0;

  /** `route` is the matched template (`GET /v2/datasets/{id}`), undefined when no route matched. */
  record(method: string, route: string | undefined): void {
    this.total++;
    if (isMutating(method, route)) this.mutating++;
    if (route === undefined) this.unmatched++;
    else this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }

  recordFault(): void {
    this.faulted++;
  }

  snapshot(): StatsSnapshot {
    const byRoute: Record<string, number> = {};
    for (const route of [...this.byRoute.keys()].sort()) byRoute[route] = this.byRoute.get(route) ?? 0;
    return { total: this.total, mutating: this.mutating, faulted: this.faulted, unmatched: this.unmatched, byRoute };
  }

  reset(): void {
    this.byRoute = new Map();
    this.total = 0;
    this.mutating = 0;
    this.faulted = 0;
    this.unmatched = 0;
  }
}
