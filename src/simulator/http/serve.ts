import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { SimClock, Scheduler } from "../clock.js";
import { faultResponse, type FaultInjector } from "../faults.js";
import type { RequestLog, RequestLogEntry } from "../request-log.js";
import type { RequestStats } from "../stats.js";
import { errorResponse, type ErrorFlavor } from "./error-response.js";
import type { RouteMatch, Router, SimResponse } from "./router.js";
import { sendResponse } from "./send-response.js";

/** What one request is dispatched against; /__sim/reset replaces it, so it is looked up per request. */
interface DispatchWorld {
  router: Router;
  scheduler: Scheduler;
  clock: SimClock;
}

export interface DispatchOptions {
  world(): DispatchWorld;
  /** `/__sim/...` routes: never counted, logged or faulted. */
  control?: Router;
  errorFlavor(path: string): ErrorFlavor;
  stats: RequestStats;
  log: RequestLog;
  faults: FaultInjector;
  /** Aborted when the simulator stops: ends latency and `slow` holds at once. */
  signal: AbortSignal;
  /** Print handler errors, with their stack, to stderr. */
  debug: boolean;
  /** People acting between two requests (person-hooks.ts): run after a response is decided, before it is sent. */
  afterRequest?(route: string, path: string): Promise<void>;
}

/** Builds an error response in the called service's shape. */
type Fail = (status: number, message: string) => SimResponse;

interface Target {
  method: string;
  /** As sent (percent-encoded): Router.match decodes the parameters itself. */
  rawPath: string;
  query: URLSearchParams;
}

/**
 * node:http → Router. Per request: read the body, apply due scheduled changes, count and log, decide
 * a fault, wait the configured latency, run the handler. Faults are decided before the handler, so a
 * faulted request (except `slow`, which answers normally) never changes state.
 */
export function createDispatcher(options: DispatchOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatch(options, req, res).catch((error: unknown) => {
      // Reached when the response could not be written, or stop() cut a latency/slow hold short.
      if (options.debug && !options.signal.aborted) logError(`${req.method} ${req.url}`, error);
      res.destroy();
    });
  };
}

async function dispatch(options: DispatchOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const target = requestTarget(req);
  const world = options.world();
  const control = target.rawPath.startsWith("/__sim/") ? options.control : undefined;
  const isControl = control !== undefined;
  const router = control ?? world.router;
  const flavor = isControl ? "control" : options.errorFlavor(target.rawPath);
  let entry: RequestLogEntry | undefined;
  const fail: Fail = (status, message) =>
    errorResponse(flavor, status, message, {
      nowMs: world.clock.now(),
      requestId: entry ? `sim-${entry.seq}` : "sim-control",
    });

  let response: SimResponse | "reset";
  try {
    world.scheduler.runDue();
    const found = matchRoute(router, target);
    const route = typeof found === "object" ? found.route : undefined;
    if (!isControl) {
      options.stats.record(target.method, route);
      entry = options.log.start({
        realTimeMs: Date.now(),
        simTimeMs: world.clock.now(),
        method: target.method,
        route: route ?? null,
        path: target.rawPath,
      });
    }
    const request = `${target.method} ${target.rawPath}`;
    if (found === "malformed") response = fail(400, `malformed percent-encoding in the path of ${request}`);
    else if (found === undefined) response = fail(404, `the simulator has no route for ${request}`);
    else if (found === "method-not-allowed") response = fail(405, `${target.method} is not allowed on ${target.rawPath}`);
    else {
      const simRequest = { ...target, path: decodePath(target.rawPath), headers: req.headers, body };
      const handle = () => runHandler(found, simRequest, options.debug, fail);
      response = entry ? await withFaults(options, found.route, target.rawPath, entry, fail, handle) : await handle();
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    response = fail(500, `simulator failure: ${messageOf(error)}`);
  }
  if (entry?.route && options.afterRequest) await options.afterRequest(entry.route, target.rawPath);
  if (response === "reset") {
    req.socket.destroy();
    return;
  }
  // The simulated clock is the servers' clock: clients check theirs against this header.
  res.setHeader("date", new Date(world.clock.now()).toUTCString());
  await sendResponse(req, res, response);
  if (entry) entry.status = response.status;
}

async function withFaults(
  options: DispatchOptions,
  route: string,
  rawPath: string,
  entry: RequestLogEntry,
  fail: Fail,
  handle: () => Promise<SimResponse>,
): Promise<SimResponse | "reset"> {
  const decision = options.faults.decide(route, rawPath);
  if (decision) {
    options.stats.recordFault();
    entry.fault = decision.kind;
    if (decision.kind === "reset") return "reset";
    if (decision.kind === "slow") await sleep(decision.rule.slowMs ?? 0, undefined, { signal: options.signal });
    else return faultResponse(decision, fail);
  }
  const latency = options.faults.latencyMs();
  if (latency > 0) await sleep(latency, undefined, { signal: options.signal });
  return handle();
}

async function runHandler(
  found: RouteMatch,
  request: Target & { path: string; headers: IncomingMessage["headers"]; body: Buffer },
  debug: boolean,
  fail: Fail,
): Promise<SimResponse> {
  try {
    return await found.handler({ ...request, params: found.params, route: found.route });
  } catch (error) {
    if (debug) logError(found.route, error);
    return fail(500, `${found.route} failed in the simulator: ${messageOf(error)}`);
  }
}

function matchRoute(router: Router, target: Target): ReturnType<Router["match"]> | "malformed" {
  try {
    return router.match(target.method, target.rawPath);
  } catch (error) {
    if (error instanceof URIError) return "malformed";
    throw error;
  }
}

function requestTarget(req: IncomingMessage): Target {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    rawPath: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)),
  };
}

function decodePath(rawPath: string): string {
  return rawPath.split("/").map(decodeURIComponent).join("/");
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logError(where: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`[simulator] ${where}: ${detail}\n`);
}

export interface ListeningServer {
  server: Server;
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * How long the servers keep an idle connection (and announce so in `Keep-Alive: timeout=…`). Neither
 * service documents it; ICA and BaseSpace sit behind AWS load balancers, whose default is 60 s, so
 * 65 s (the value AWS recommends for servers behind one). Node's default of 5 s also made the simulator,
 * when a scale-1m collection stalled it for a second, reset sockets a client had just sent a request
 * on — a failure of the simulator, not of the client. See docs/simulator.md.
 * @internal exported for the tests
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens with no request handler yet: the caller attaches one once the URLs it needs are known. */
export async function listen(host: string, port: number): Promise<ListeningServer> {
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
