import http from "node:http";
import https from "node:https";

/**
 * How long a kept-alive socket may sit idle before we close it. Node's agent reads the server's
 * `Keep-Alive: timeout=N` hint only when it has a timeout of its own, and then closes a second before
 * the server would; without one, an idle socket lives until the server drops it, and a request sent
 * on it just then fails with ECONNRESET — seen against a Node server (5 s). Servers that announce
 * nothing (load balancers: 60 s and more) are still left well inside their limit. The value also
 * bounds a TCP connect, which axios's own timeout covers only once connected.
 * @internal exported for the tests
 */
export const idleSocketTimeoutMs = 15_000;

export interface KeepAliveAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

export function keepAliveAgents(maxSockets: number): KeepAliveAgents {
  const options = { keepAlive: true, maxSockets, timeout: idleSocketTimeoutMs };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}
