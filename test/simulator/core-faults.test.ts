import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/launch.js";
import type { FaultConfigPatch } from "../../src/simulator/faults.js";
import { projectId, startFake } from "./core-fakes.js";

let sim: Simulator;
afterEach(async () => {
  await sim?.stop();
});

const projects = () => `${sim.icaUrl}/ica/rest/api/projects`;
const dataUrl = (id: string) => `${sim.icaUrl}/ica/rest/api/projects/${projectId}/data/${id}`;

async function putFaults(patch: FaultConfigPatch | string): Promise<Response> {
  return fetch(`${sim.icaUrl}/__sim/faults`, {
    method: "PUT",
    body: typeof patch === "string" ? patch : JSON.stringify(patch),
  });
}

async function statuses(n: number, url = projects()): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fetch(url)).status);
  return out;
}

describe("simulator core: faults", () => {
  it.each(["500", "502", "503"] as const)("injects %s in the called service's error shape", async (kind) => {
    sim = await startFake();
    expect((await putFaults({ rules: [{ route: "*", rate: 1, kinds: [kind] }] })).status).toBe(200);
    const res = await fetch(projects());
    expect(res.status).toBe(Number(kind));
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await res.json()).toMatchObject({ status: Number(kind), detail: expect.stringContaining("simulated") });
    const v2 = await fetch(`${sim.basespaceUrl}/v2/users/current`);
    expect(v2.status).toBe(Number(kind));
    expect(await v2.json()).toMatchObject({ ErrorMessage: expect.stringContaining("simulated") });
    const s3 = await fetch(`${sim.s3Url}/sim-bucket/k`);
    expect(s3.status).toBe(Number(kind));
    expect(await s3.text()).toContain("<Error><Code>");
  });

  it("injects 429 with Retry-After, and 503 with Retry-After when the rule sets it", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "GET /ica/rest/api/projects", rate: 1, kinds: ["429"], retryAfterSeconds: 7 }] });
    const res = await fetch(projects());
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 429, title: "Too Many Requests" });

    await putFaults({ rules: [{ route: "/ica/", rate: 1, kinds: ["429"] }] });
    expect((await fetch(projects())).headers.get("retry-after")).toBe("1");
    await putFaults({ rules: [{ route: "/ica/", rate: 1, kinds: ["503"], retryAfterSeconds: 2 }] });
    expect((await fetch(projects())).headers.get("retry-after")).toBe("2");
  });

  it("matches rules by route name or path prefix only", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "GET /ica/rest/api/projects/{projectId}/data/{dataId}", rate: 1, kinds: ["500"] }] });
    expect((await fetch(dataUrl("fil.0"))).status).toBe(500);
    expect((await fetch(projects())).status).toBe(401);
    await putFaults({ rules: [{ route: "/v2/", rate: 1, kinds: ["502"] }] });
    expect((await fetch(`${sim.basespaceUrl}/v2/users/current`)).status).toBe(502);
    expect((await fetch(`${sim.basespaceUrl}/v1pre3/users/current`)).status).toBe(200);
  });

  it("never injects at rate 0, and stops after `limit` injections", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "*", rate: 0, kinds: ["500"] }] });
    expect(await statuses(20)).toEqual(Array(20).fill(401));
    await putFaults({ rules: [{ route: "*", rate: 1, kinds: ["503"], limit: 2 }] });
    expect(await statuses(4)).toEqual([503, 503, 401, 401]);
    expect(sim.stats()).toMatchObject({ faulted: 2, total: 24 });
    expect(sim.requests().requests.slice(-4).map((r) => [r.status, r.fault])).toEqual([
      [503, "503"],
      [503, "503"],
      [401, null],
      [401, null],
    ]);
  });

  it("replays the same faults for the same seed, and leaves generated ids alone", async () => {
    sim = await startFake();
    const rules: FaultConfigPatch["rules"] = [{ route: "GET /ica/rest/api/projects", rate: 0.5, kinds: ["500", "502", "503"] }];
    await putFaults({ seed: 7, rules });
    const first = await statuses(30);
    await putFaults({ seed: 7 });
    const again = await statuses(30);
    await putFaults({ seed: 8 });
    const other = await statuses(30);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([401, 500, 502, 503]));

    // Faults draw from their own PRNG: the id the services generate next does not depend on them.
    const createFile = () =>
      fetch(`${sim.icaUrl}/ica/rest/api/projects/${projectId}/data:createFile`, { method: "POST", body: '{"name":"x"}' }).then(
        (r) => r.json() as Promise<{ id: string }>,
      );
    sim.reset();
    const plain = (await createFile()).id;
    sim.reset();
    await putFaults({ seed: 3, rules: [{ route: "GET /ica/rest/api/projects", rate: 0.5, kinds: ["500"] }] });
    await statuses(10);
    expect((await createFile()).id).toBe(plain);
  });

  it("never changes state for a faulted request", async () => {
    sim = await startFake();
    const before = sim.state().digest;
    await putFaults({ rules: [{ route: "/ica/", rate: 1, kinds: ["500"] }] });
    expect((await fetch(`${dataUrl("fil.0")}:archive`, { method: "POST" })).status).toBe(500);
    expect(sim.state().digest).toBe(before);
    expect(sim.stats().mutating).toBe(1);
  });

  it("`reset` destroys the socket without a response", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "*", rate: 1, kinds: ["reset"], limit: 1 }] });
    const error = await fetch(projects()).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error?.message).toBe("fetch failed");
    expect(sim.requests().requests[0]).toMatchObject({ status: null, fault: "reset" });
    expect((await fetch(projects())).status).toBe(401);
  });

  it("`slow` holds the response, then answers normally; a shorter client timeout aborts", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "*", rate: 1, kinds: ["slow"], slowMs: 150 }] });
    const t0 = performance.now();
    expect((await fetch(projects())).status).toBe(401);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    await expect(fetch(projects(), { signal: AbortSignal.timeout(30) })).rejects.toThrow(/abort/i);
    expect(sim.requests().requests[0]).toMatchObject({ status: 401, fault: "slow" });
  });

  it("stop() does not wait for a slow hold", async () => {
    sim = await startFake();
    sim.setFaults({ rules: [{ route: "*", rate: 1, kinds: ["slow"], slowMs: 60_000 }] });
    const pending = fetch(projects()).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await sim.stop();
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("merges partial updates, reports the config, and rejects bad bodies with a 400 naming the field", async () => {
    sim = await startFake({ seed: 5, latencyMs: 0 });
    const res = await putFaults({ latencyJitterMs: 0, linkItemFailures: { dataIds: ["fil.1"], rate: 0 } });
    const config = await res.json();
    expect(config).toEqual({
      seed: 5,
      rules: [],
      latencyMs: 0,
      latencyJitterMs: 0,
      linkItemFailures: { dataIds: ["fil.1"], rate: 0 },
      uploadsStayPartial: { names: [] },
      vanishBeforeLink: { dataIds: [] },
      events: { delayMs: 0, delayJitterMs: 0, duplicateRate: 0, lossRate: 0 },
    });
    expect(await (await fetch(`${sim.icaUrl}/__sim/faults`)).json()).toEqual(config);

    const bad = async (body: string) => {
      const r = await putFaults(body);
      return { status: r.status, error: ((await r.json()) as { error: string }).error };
    };
    expect(await bad(JSON.stringify({ rules: [{ route: "*", rate: 2, kinds: ["500"] }] }))).toEqual({
      status: 400,
      error: expect.stringMatching(/^PUT \/__sim\/faults: rules\.0\.rate: .*1/),
    });
    expect((await bad(JSON.stringify({ rules: [{ route: "*", rate: 1, kinds: ["418"] }] }))).error).toContain("rules.0.kinds.0");
    expect((await bad(JSON.stringify({ rules: [{ route: "*", rate: 1, kinds: ["slow"] }] }))).error).toContain("slowMs");
    expect((await bad(JSON.stringify({ rules: [{ route: "projects", rate: 1, kinds: ["500"] }] }))).error).toContain(
      "rules.0.route",
    );
    expect((await bad(JSON.stringify({ seeed: 1 }))).error).toContain("seeed");
    expect((await bad("{")).error).toContain("must be JSON");
    expect(sim.faults().rules).toEqual([]);
    expect(() => sim.setFaults({ latencyMs: -1 })).toThrow(/latencyMs/);
  });

  it("never faults or counts the control plane", async () => {
    sim = await startFake();
    await putFaults({ rules: [{ route: "*", rate: 1, kinds: ["500"] }] });
    for (const path of ["/stats", "/state", "/faults", "/clock", "/requests"]) {
      expect((await fetch(`${sim.icaUrl}/__sim${path}`)).status).toBe(200);
    }
    expect(sim.stats().total).toBe(0);
  });
});
