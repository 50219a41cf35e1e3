import type { ServiceName } from "./errors.js";
import { ServerClock } from "./server-clock.js";

export interface RouteStats {
  /** Requests sent, retries included. */
  requests: number;
  /** Of those, how many were retries. */
  retries: number;
  /** Attempts that failed (any error, retried or not). */
  failures: number;
}

export interface RequestStatsSnapshot {
  /** Keyed `service METHOD /path/template`, e.g. `ica GET /api/projects/{projectId}/data`. */
  routes: Record<string, RouteStats>;
  totalRequests: number;
  /** Highest number of requests in flight at once, per service (what the concurrency limit bounds). */
  maxInFlight: Partial<Record<ServiceName, number>>;
}

/**
 * Counts API calls per route template for the cycle report and the benchmark. One object can be shared
 * by several clients; it never sees URLs or headers, only route templates.
 */
export class RequestStats {
  /** What the responses' `Date` headers say of the local clock, across every client sharing these stats. */
  readonly serverClock = new ServerClock();
  private readonly routes = new Map<string, RouteStats>();
  private readonly inFlight = new Map<ServiceName, number>();
  private readonly peak = new Map<ServiceName, number>();

  started(service: ServiceName, method: string, route: string, isRetry: boolean): void {
    const entry = this.entry(`${service} ${method} ${route}`);
    entry.requests += 1;
    if (isRetry) entry.retries += 1;
    const now = (this.inFlight.get(service) ?? 0) + 1;
    this.inFlight.set(service, now);
    if (now > (this.peak.get(service) ?? 0)) this.peak.set(service, now);
  }

  finished(service: ServiceName, method: string, route: string, ok: boolean): void {
    if (!ok) this.entry(`${service} ${method} ${route}`).failures += 1;
    this.inFlight.set(service, (this.inFlight.get(service) ?? 1) - 1);
  }

  snapshot(): RequestStatsSnapshot {
    const routes: Record<string, RouteStats> = {};
    let totalRequests = 0;
    for (const key of [...this.routes.keys()].sort()) {
      const r = this.routes.get(key) as RouteStats;
      routes[key] = { ...r };
      totalRequests += r.requests;
    }
    return { routes, totalRequests, maxInFlight: Object.fromEntries(this.peak) };
  }

  private entry(key: string): RouteStats {
    let e = this.routes.get(key);
    if (!e) {
      e = { requests: 0, retries: 0, failures: 0 };
      this.routes.set(key, e);
    }
    return e;
  }
}
