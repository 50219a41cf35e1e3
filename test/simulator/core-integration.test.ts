// The core with the real ICA, BaseSpace and S3 simulators behind it.
import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { FixtureError } from "../../src/simulator/fixtures/resolve.js";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../src/simulator/http/serve.js";

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

const startMs = Date.UTC(2025, 6, 1, 8);
const start = () => startSimulator({ fixture: "demo", icaApiKey: "itest-key", basespaceToken: "itest-token", startMs });
const icaHeaders = { "X-API-Key": "itest-key", Accept: "application/vnd.illumina.v3+json" };

async function ica<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.icaUrl}/ica/rest/api${path}`, { ...init, headers: { ...icaHeaders, ...init.headers } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

interface DataItem {
  data: { id: string; details: { status: string } };
}

async function firstAvailableFile(): Promise<{ projectId: string; dataId: string }> {
  const projects = await ica<{ items: { id: string }[] }>("/projects");
  const projectId = projects.body.items[0]?.id ?? "";
  const data = await ica<{ items: DataItem[] }>(`/projects/${projectId}/data?type=FILE&pageSize=100`);
  const file = data.body.items.find((item) => item.data.details.status === "AVAILABLE");
  if (!file) throw new Error("the demo fixture has an AVAILABLE file");
  return { projectId, dataId: file.data.id };
}

describe("simulator core with the real services", () => {
  it("registers ICA, BaseSpace and S3 routes once each", async () => {
    sim = await start();
    const routes = sim.routes();
    expect(new Set(routes).size).toBe(routes.length);
    expect(routes).toEqual(
      expect.arrayContaining(["GET /ica/rest/api/projects", "GET /v2/datasets", "PUT /{Bucket}/{Key+}"]),
    );
  });

  it("counts real routes by template; reading makes no mutating request", async () => {
    sim = await start();
    const { projectId } = await firstAvailableFile();
    await ica(`/projects/${projectId}/analysis:search`, {
      method: "POST",
      headers: { "Content-Type": "application/vnd.illumina.v3+json" },
      body: "{}",
    });
    await fetch(`${sim.basespaceUrl}/v2/users/current`, { headers: { "x-access-token": "itest-token" } });
    await fetch(`${sim.s3Url}/some-bucket/some/key.csv`);
    const stats = sim.stats();
    expect(stats).toMatchObject({ total: 5, mutating: 0, unmatched: 0 });
    expect(stats.byRoute).toMatchObject({
      "GET /ica/rest/api/projects": 1,
      "GET /ica/rest/api/projects/{projectId}/data": 1,
      "POST /ica/rest/api/projects/{projectId}/analysis:search": 1,
      "GET /v2/users/current": 1,
      "GET /{Bucket}/{Key+}": 1,
    });
  });

  it("archives through the clock and restores everything on /__sim/reset", async () => {
    sim = await start();
    const initial = sim.state();
    const { projectId, dataId } = await firstAvailableFile();
    expect((await ica(`/projects/${projectId}/data/${dataId}:archive`, { method: "POST" })).status).toBe(204);
    const status = async () => (await ica<DataItem>(`/projects/${projectId}/data/${dataId}`)).body.data.details.status;
    expect(await status()).toBe("ARCHIVING");
    sim.advanceClock(sim.timings.icaArchiveMs);
    expect(await status()).toBe("ARCHIVED");
    expect(sim.stats().mutating).toBe(1);
    expect(sim.state().digest).not.toBe(initial.digest);

    expect((await fetch(`${sim.icaUrl}/__sim/reset`, { method: "POST" })).status).toBe(204);
    expect(sim.state()).toMatchObject({ digest: initial.digest, counts: initial.counts, pendingChanges: 0 });
    expect(await status()).toBe("AVAILABLE");
  });

  it("gives equal digests to simulators started from the same fixture, start time and seed", async () => {
    const other = await start();
    try {
      sim = await start();
      expect(sim.state().digest).toBe(other.state().digest);
    } finally {
      await other.stop();
    }
  });

  it("answers an injected 429 as an ICA Problem with Retry-After, without touching state", async () => {
    sim = await start();
    const before = sim.state().digest;
    const { projectId, dataId } = await firstAvailableFile();
    sim.setFaults({ rules: [{ route: "/ica/", rate: 1, kinds: ["429"], retryAfterSeconds: 3, limit: 1 }] });
    const res = await fetch(`${sim.icaUrl}/ica/rest/api/projects/${projectId}/data/${dataId}:archive`, {
      method: "POST",
      headers: icaHeaders,
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(sim.state().digest).toBe(before);
  });

  it("announces how long both servers keep an idle connection", async () => {
    sim = await start();
    const keepAliveOf = (url: string) =>
      new Promise<string | undefined>((resolve, reject) => {
        get(url, (res) => {
          res.resume();
          resolve(String(res.headers["keep-alive"]));
        }).on("error", reject);
      });
    const announced = `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`;
    expect(await keepAliveOf(`${sim.icaUrl}/ica/rest/api/projects`)).toBe(announced);
    expect(await keepAliveOf(`${sim.s3Url}/bucket/key`)).toBe(announced);
  });

  it("rejects an unknown fixture name with a FixtureError", async () => {
    await expect(startSimulator({ fixture: "nope" })).rejects.toBeInstanceOf(FixtureError);
  });
});
