import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { idleSocketTimeoutMs, keepAliveAgents } from "../../src/http/keep-alive-agents.js";

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server closing idle connections after `keepAliveTimeout` ms (0: never, and no Keep-Alive hint sent). */
async function serverClosingIdleAfter(keepAliveTimeout: number): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end("ok"));
  server.keepAliveTimeout = keepAliveTimeout;
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connections: () => connections };
}

function get(url: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(String(res.headers["keep-alive"])));
      })
      .on("error", reject);
  });
}

/** The idle timeout of the socket the agent keeps after a request (it is freed on the next tick). */
async function idleTimeoutAfterOneRequest(url: string, agent: http.Agent): Promise<number | undefined> {
  await get(url, agent);
  await new Promise((resolve) => setImmediate(resolve));
  const free = Object.values(agent.freeSockets).flat();
  return free.length === 0 ? undefined : free[0]?.timeout;
}

describe("keep-alive agents", () => {
  it("close an idle socket a second before the server announced it would", async () => {
    const server = await serverClosingIdleAfter(5_000);
    const { httpAgent } = keepAliveAgents(2);
    expect(await idleTimeoutAfterOneRequest(server.url, httpAgent)).toBe(4_000);
    httpAgent.destroy();
  });

  it("close an idle socket after their own limit when the server announces nothing", async () => {
    const server = await serverClosingIdleAfter(0);
    const { httpAgent } = keepAliveAgents(2);
    expect(await idleTimeoutAfterOneRequest(server.url, httpAgent)).toBe(idleSocketTimeoutMs);
    httpAgent.destroy();
  });

  it("do not keep a socket the server will close within a second, so the next request connects afresh", async () => {
    const server = await serverClosingIdleAfter(1_000);
    const { httpAgent } = keepAliveAgents(2);
    expect(await get(server.url, httpAgent)).toBe("timeout=1");
    await get(server.url, httpAgent);
    expect(server.connections()).toBe(2);
    httpAgent.destroy();
  });
});
