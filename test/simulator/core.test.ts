import { afterEach, describe, expect, it, vi } from "vitest";
import { gunzipSync } from "node:zlib";
import { request } from "node:http";
import type { Simulator } from "../../src/simulator/launch.js";
import { projectId, startFake } from "./core-fakes.js";

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

const ica = (path: string) => `${sim.icaUrl}/ica/rest/api${path}`;
const key = { "X-API-Key": "test-key" };

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.icaUrl}/__sim${path}`, {
    method,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("simulator core: serving", () => {
  it("serves ICA and BaseSpace on one server, S3 on another, with the overridden secrets", async () => {
    sim = await startFake({ icaApiKey: "test-key", basespaceToken: "test-token" });
    expect(sim.icaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.basespaceUrl).toBe(sim.icaUrl);
    expect(sim.s3Url).not.toBe(sim.icaUrl);
    expect([sim.apiKey, sim.basespaceToken]).toEqual(["test-key", "test-token"]);
    expect(sim.fixture.ica.apiKeys[0]?.key).toBe("test-key");

    const projects = await fetch(ica("/projects"), { headers: key });
    expect(projects.status).toBe(200);
    expect(await projects.json()).toEqual({ items: [{ id: projectId, name: "Run_Project" }] });
    expect((await fetch(`${sim.basespaceUrl}/v2/users/current`)).status).toBe(200);
    expect((await fetch(`${sim.s3Url}/sim-bucket/x.csv`, { method: "PUT", body: "a,b\n" })).status).toBe(200);
    expect(sim.objects.get("x.csv")?.toString()).toBe("a,b\n");
    // The S3 server hosts S3 only.
    expect((await fetch(`${sim.s3Url}/ica/rest/api/projects`)).status).toBe(404);
  });

  it("lists every service route, in-process and at /__sim/routes", async () => {
    sim = await startFake();
    expect(sim.routes()).toContain("POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive");
    expect(sim.routes()).toContain("GET /v2/users/current");
    expect(sim.routes()).toContain("PUT /{bucket}/{key}");
    expect(sim.routes().some((r) => r.includes("/__sim"))).toBe(false);
    expect((await control("GET", "/routes")).body).toEqual({ routes: sim.routes() });
  });

  it("answers an unknown route with a loud 404 naming method and path, in each service's error shape", async () => {
    sim = await startFake();
    const icaRes = await fetch(ica("/nothing/here"), { method: "DELETE" });
    expect(icaRes.status).toBe(404);
    expect(icaRes.headers.get("content-type")).toBe("application/problem+json");
    expect(await icaRes.json()).toMatchObject({
      status: 404,
      title: "Not Found",
      detail: "the simulator has no route for DELETE /ica/rest/api/nothing/here",
    });
    const v2 = await fetch(`${sim.basespaceUrl}/v2/nope`);
    expect(await v2.json()).toMatchObject({ ErrorCode: "NotFound", ErrorMessage: "the simulator has no route for GET /v2/nope" });
    const v1 = await fetch(`${sim.basespaceUrl}/v1pre3/nope`);
    expect(await v1.json()).toEqual({
      ResponseStatus: { ErrorCode: "NotFound", Message: "the simulator has no route for GET /v1pre3/nope", Errors: [] },
      Notifications: [],
    });
    const s3 = await fetch(`${sim.s3Url}/`);
    expect(s3.headers.get("content-type")).toBe("application/xml");
    expect(await s3.text()).toContain("<Message>the simulator has no route for GET /</Message>");
    expect(await control("GET", "/nope")).toEqual({ status: 404, body: { error: "the simulator has no route for GET /__sim/nope" } });
  });

  it("answers 405 for a known path with another method, and 400 for a malformed path", async () => {
    sim = await startFake();
    const res = await fetch(ica("/projects"), { method: "POST" });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ detail: "POST is not allowed on /ica/rest/api/projects" });
    expect((await fetch(ica(`/projects/${projectId}/data/%E0%A4%A`))).status).toBe(400);
  });

  it("turns a throwing handler into a 500 naming the route and the message", async () => {
    sim = await startFake();
    const res = await fetch(ica("/boom"));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      detail: "GET /ica/rest/api/boom failed in the simulator: kaboom in the fake handler",
    });
  });

  it("prints a handler's error to stderr only with the debug option", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      sim = await startFake();
      await fetch(ica("/boom"));
      await sim.stop();
      expect(written).toEqual([]);
      sim = await startFake({ debug: true });
      await fetch(ica("/boom"));
      expect(written.join("")).toMatch(/^\[simulator\] GET \/ica\/rest\/api\/boom: Error: kaboom in the fake handler\n {4}at /);
    } finally {
      spy.mockRestore();
    }
  });

  it("keeps the handler's Content-Type and gzips large JSON when asked", async () => {
    sim = await startFake();
    const body = await new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      request(ica("/page"), { headers: { "accept-encoding": "gzip, deflate" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
      })
        .on("error", reject)
        .end();
    });
    expect(body.headers["content-type"]).toBe("application/vnd.illumina.v3+json");
    expect(body.headers["content-encoding"]).toBe("gzip");
    const page = JSON.parse(gunzipSync(body.bytes).toString()) as { items: unknown[] };
    expect(page.items).toHaveLength(1000);
    expect(Number(body.headers["content-length"])).toBe(body.bytes.length);

    const small = await new Promise<Record<string, unknown>>((resolve, reject) => {
      request(ica("/projects"), { headers: { "accept-encoding": "gzip", ...key } }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on("error", reject)
        .end();
    });
    expect(small["content-encoding"]).toBeUndefined();
    expect(small["content-type"]).toBe("application/json");
  });

  it("adds the configured latency to every response", async () => {
    sim = await startFake({ latencyMs: 60 });
    const t0 = performance.now();
    await fetch(ica("/projects"));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });
});

describe("simulator core: stats and request log", () => {
  it("counts requests per route template, mutating ones separately, never the control plane", async () => {
    sim = await startFake();
    await fetch(ica("/projects"));
    await fetch(ica("/projects"));
    await fetch(ica(`/projects/${projectId}/data/fil.0`));
    await fetch(ica(`/projects/${projectId}/analysis:search`), { method: "POST", body: "{}" });
    await fetch(ica(`/projects/${projectId}/data/fil.0:archive`), { method: "POST" });
    await fetch(`${sim.s3Url}/sim-bucket/k`, { method: "PUT", body: "x" });
    await fetch(ica("/unknown"));
    await control("GET", "/stats");
    await control("GET", "/state");

    const expected = {
      total: 7,
      mutating: 2,
      faulted: 0,
      unmatched: 1,
      byRoute: {
        "GET /ica/rest/api/projects": 2,
        "GET /ica/rest/api/projects/{projectId}/data/{dataId}": 1,
        "POST /ica/rest/api/projects/{projectId}/analysis:search": 1,
        "POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive": 1,
        "PUT /{bucket}/{key}": 1,
      },
    };
    expect(sim.stats()).toEqual(expected);
    expect(await control("GET", "/stats")).toEqual({ status: 200, body: expected });
    expect(Object.keys(sim.stats().byRoute)).toEqual(Object.keys(expected.byRoute).sort());

    expect((await control("POST", "/stats/reset")).status).toBe(204);
    expect(sim.stats()).toEqual({ total: 0, mutating: 0, faulted: 0, unmatched: 0, byRoute: {} });
  });

  it("logs requests with seq, times, route, status and fault, returning those after `since`", async () => {
    sim = await startFake({ startMs: Date.UTC(2025, 0, 1) });
    await fetch(ica("/projects"));
    await fetch(ica("/unknown"));
    const all = await control("GET", "/requests");
    expect(all.body).toMatchObject({
      lastSeq: 2,
      dropped: 0,
      requests: [
        { seq: 1, method: "GET", route: "GET /ica/rest/api/projects", path: "/ica/rest/api/projects", status: 401, fault: null },
        { seq: 2, method: "GET", route: null, path: "/ica/rest/api/unknown", status: 404, fault: null },
      ],
    });
    const first = (all.body as { requests: { simTimeMs: number; realTimeMs: number }[] }).requests[0];
    expect(first?.simTimeMs).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 1));
    expect(first?.simTimeMs).toBeLessThan(Date.UTC(2025, 0, 1) + 60_000);
    expect(Math.abs((first?.realTimeMs ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(sim.requests(1).requests.map((r) => r.seq)).toEqual([2]);
    expect((await control("GET", "/requests?since=x")).status).toBe(400);
  });

  it("keeps only the newest requests and says how many were dropped", async () => {
    sim = await startFake({ requestLogCapacity: 3 });
    for (let i = 0; i < 5; i++) await fetch(ica("/projects"));
    const page = sim.requests(0);
    expect(page.requests.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(page).toMatchObject({ lastSeq: 5, dropped: 2 });
    expect(sim.requests(3).requests.map((r) => r.seq)).toEqual([4, 5]);
    expect(sim.requests(3).dropped).toBe(0);
  });
});

describe("simulator core: clock, state and reset", () => {
  it("runs scheduled changes when the clock is advanced", async () => {
    sim = await startFake({ timings: { icaArchiveMs: 3_600_000 } });
    const item = () => fetch(ica(`/projects/${projectId}/data/fil.0`)).then((r) => r.json() as Promise<{ status: string }>);
    expect((await fetch(ica(`/projects/${projectId}/data/fil.0:archive`), { method: "POST" })).status).toBe(204);
    expect((await item()).status).toBe("ARCHIVING");
    const before = await control("GET", "/clock");
    expect(before.body).toMatchObject({ pendingChanges: 1 });

    const after = await control("POST", "/clock", { advanceMs: 3_600_000 });
    const { nowMs } = after.body as { nowMs: number; now: string };
    expect(nowMs - (before.body as { nowMs: number }).nowMs).toBeGreaterThanOrEqual(3_600_000);
    expect(after.body).toMatchObject({ pendingChanges: 0, now: new Date(nowMs).toISOString() });
    expect(sim.state().counts.ica).toEqual({ data: 2, byStatus: { ARCHIVED: 1, AVAILABLE: 1 } });
    expect((await item()).status).toBe("ARCHIVED");
  });

  it("rejects a bad clock body with 400", async () => {
    sim = await startFake();
    expect(await control("POST", "/clock", { advanceMs: -5 })).toMatchObject({ status: 400 });
    expect(await control("POST", "/clock", "not json")).toMatchObject({ status: 400 });
    expect((await control("POST", "/clock", { advance: 5 })).body).toEqual({
      error: expect.stringContaining("POST /__sim/clock: advanceMs:"),
    });
  });

  it("reports a digest that changes with the state and counts per service", async () => {
    sim = await startFake();
    const initial = sim.state();
    expect(initial.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(initial.counts).toEqual({
      ica: { data: 2, byStatus: { AVAILABLE: 2 } },
      basespace: { users: 1 },
      s3: { objects: 0 },
    });
    expect((await control("GET", "/state")).body).toMatchObject({ digest: initial.digest, counts: initial.counts });
    await fetch(`${sim.s3Url}/sim-bucket/m.csv`, { method: "PUT", body: "x" });
    expect(sim.state().digest).not.toBe(initial.digest);
  });

  it("/__sim/reset restores the fixture's state, clock, ids, stats, log and faults", async () => {
    sim = await startFake({ startMs: Date.UTC(2025, 5, 1) });
    const initial = sim.state();
    const create = () =>
      fetch(ica(`/projects/${projectId}/data:createFile`), { method: "POST", body: JSON.stringify({ name: "m.csv" }) }).then(
        (r) => r.json() as Promise<{ id: string }>,
      );
    const firstId = (await create()).id;
    await fetch(ica(`/projects/${projectId}/data/fil.0:archive`), { method: "POST" });
    await fetch(`${sim.s3Url}/sim-bucket/m.csv`, { method: "PUT", body: "x" });
    sim.advanceClock(86_400_000);
    sim.setFaults({ rules: [{ route: "/v2/", rate: 1, kinds: ["500"] }] });
    expect(sim.state().digest).not.toBe(initial.digest);

    expect((await control("POST", "/reset")).status).toBe(204);
    expect(sim.state().digest).toBe(initial.digest);
    expect(sim.clock.now() - Date.UTC(2025, 5, 1)).toBeLessThan(60_000);
    expect(sim.stats().total).toBe(0);
    expect(sim.requests().requests).toEqual([]);
    expect(sim.faults().rules).toEqual([]);
    expect(sim.objects.get("m.csv")).toBeUndefined();
    // Seeded ids start over too.
    expect((await create()).id).toBe(firstId);
    // The log is emptied but its seq keeps counting, so a poller's `since` stays meaningful.
    expect(sim.requests().requests.map((r) => r.seq)).toEqual([4]);
  });

  it("gives the same digest to two simulators with the same start time and seed", async () => {
    const startMs = Date.UTC(2025, 2, 3);
    const other = await startFake({ startMs });
    try {
      sim = await startFake({ startMs });
      expect(sim.state().digest).toBe(other.state().digest);
    } finally {
      await other.stop();
    }
  });
});

describe("simulator core: credentials files", () => {
  it("writes ica_api_key.txt and default.cfg with mode 0600 in the bs CLI format", async () => {
    const { mkdtemp, readFile, stat, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "sim-core-"));
    try {
      sim = await startFake({ credentialsDir: join(dir, "creds"), icaApiKey: "k-123", basespaceToken: "t-456" });
      expect(sim.apiKeyFile).toBe(join(dir, "creds", "ica_api_key.txt"));
      expect(sim.basespaceConfigFile).toBe(join(dir, "creds", "default.cfg"));
      expect(await readFile(sim.apiKeyFile ?? "", "utf8")).toBe("k-123\n");
      expect(await readFile(sim.basespaceConfigFile ?? "", "utf8")).toBe(
        `apiServer   = ${sim.basespaceUrl}\naccessToken = t-456\n`,
      );
      for (const file of [sim.apiKeyFile, sim.basespaceConfigFile]) {
        expect((await stat(file ?? "")).mode & 0o777).toBe(0o600);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes no files without credentialsDir", async () => {
    sim = await startFake();
    expect(sim.apiKeyFile).toBeUndefined();
    expect(sim.basespaceConfigFile).toBeUndefined();
  });
});
