import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BadRequestError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from "../../src/http/errors.js";
import type { FaultRule } from "../../src/simulator/context.js";
import { DESTINATION_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { bsClientFor, collect, icaClientFor, recordingSleep, startTestSimulator } from "./sim-harness.js";

let sim: Simulator;
let projectId: string;
const getProject = "GET /ica/rest/api/projects/{projectId}";

beforeAll(async () => {
  sim = await startTestSimulator();
  projectId = sim.fixture.ica.projects.find((p) => p.name === DESTINATION_PROJECT_NAME)?.id as string;
});
beforeEach(() => sim.reset());
afterAll(() => sim.stop());

const fault = (rule: Partial<FaultRule> & Pick<FaultRule, "kinds">) => sim.setFaults({ rules: [{ route: getProject, rate: 1, ...rule }] });

describe("retries against injected faults", () => {
  it("honours Retry-After on 429 and then succeeds", async () => {
    fault({ kinds: ["429"], retryAfterSeconds: 2, limit: 2 });
    const { sleep, delays } = recordingSleep();
    const ica = icaClientFor(sim, { sleep });
    expect((await ica.getProject(projectId)).id).toBe(projectId);
    expect(delays).toEqual([2000, 2000]);
    expect(ica.stats.snapshot().routes[`ica ${getProject.replace("/ica/rest", "")}`]).toEqual({ requests: 3, retries: 2, failures: 2 });
    expect(sim.stats().byRoute[getProject]).toBe(3);
  });

  it("retries 503 with full-jitter backoff, but never an irreversible call (its caller re-reads instead)", async () => {
    const archive = "POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive";
    const file = sim.fixture.ica.files[0] as { projectId: string; path: string };
    const ica = icaClientFor(sim);
    const [data] = await collect(ica.listData(file.projectId, { filePath: [file.path], filePathMatchMode: "FULL_CASE_INSENSITIVE" }));
    sim.setFaults({ rules: [{ route: archive, rate: 1, kinds: ["503"], retryAfterSeconds: 0, limit: 1 }, { route: getProject, rate: 1, kinds: ["503"], limit: 2 }] });
    const { sleep, delays } = recordingSleep();
    const client = icaClientFor(sim, { sleep, random: () => 0.5, retry: { baseDelayMs: 100, maxDelayMs: 10_000 } });
    const error = await client.lifecycleAction(file.projectId, data?.id as string, "archive").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(sim.stats().byRoute[archive]).toBe(1);
    await client.getProject(projectId);
    // Jitter halves 100 and 200 ms (random = 0.5); the archive waited for nothing.
    expect(delays).toEqual([50, 100]);
  });

  it("retries a connection reset and a response slower than the client timeout", async () => {
    sim.setFaults({
      rules: [
        { route: getProject, rate: 1, kinds: ["reset"], limit: 1 },
        { route: "GET /ica/rest/api/projects", rate: 1, kinds: ["slow"], slowMs: 1500, limit: 1 },
      ],
    });
    const ica = icaClientFor(sim, { timeoutMs: 200 });
    expect((await ica.getProject(projectId)).id).toBe(projectId);
    const started = Date.now();
    expect((await collect(ica.listProjects(DESTINATION_PROJECT_NAME))).map((p) => p.id)).toEqual([projectId]);
    expect(Date.now() - started).toBeLessThan(1400);
    const stats = ica.stats.snapshot().routes;
    expect(stats["ica GET /api/projects/{projectId}"]?.retries).toBe(1);
    expect(stats["ica GET /api/projects"]?.retries).toBe(1);
  });

  it("does not retry an ambiguous failure of a request that is not replay-safe", async () => {
    sim.setFaults({ rules: [{ route: "POST /ica/rest/api/projects/{projectId}/data/{dataId}:delete", rate: 1, kinds: ["reset"], limit: 1 }] });
    const ica = icaClientFor(sim);
    const error = await ica.lifecycleAction(projectId, "fil.00000000000000000000000000000000", "delete").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("ECONNRESET");
    expect((error as NetworkError).attempts).toBe(1);
  });

  it("never retries a 4xx", async () => {
    const ica = icaClientFor(sim);
    const missing = await ica.getProject("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    const invalid = await ica.createFile(projectId, { name: "x.csv", folderPath: "no-trailing-slash" }, "k").catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    const stats = sim.stats();
    expect(stats.byRoute[getProject]).toBe(1);
    expect(stats.byRoute["POST /ica/rest/api/projects/{projectId}/data:createFile"]).toBe(1);
  });

  it("throws a clear error once the retry budget is spent", async () => {
    fault({ kinds: ["503"] });
    const ica = icaClientFor(sim, { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await ica.getProject(projectId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toMatch(
      /^ICA GET \/api\/projects\/\{projectId\} failed with HTTP 503: .* after 3 attempts \(retry budget exhausted\)\. The service failed; retry later$/,
    );
    fault({ kinds: ["429"], retryAfterSeconds: 0 });
    const limited = await ica.getProject(projectId).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as Error).message).toMatch(/after 3 attempts \(retry budget exhausted\)\. Still rate limited; lower the concurrency/);
    fault({ kinds: ["slow"], slowMs: 2000 });
    const slow = await icaClientFor(sim, { timeoutMs: 50, retry: { maxRetries: 1, baseDelayMs: 1 } }).getProject(projectId).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(TimeoutError);
    expect((slow as Error).message).toMatch(/\(ETIMEDOUT\): no response within 50 ms after 2 attempts \(retry budget exhausted\)/);
  });

  it("retries a refused connection, which never reached a server", async () => {
    const { sleep, delays } = recordingSleep();
    const ica = icaClientFor(sim, { serverUrl: "http://127.0.0.1:1", sleep, retry: { maxRetries: 2 } });
    const error = await ica.lifecycleAction(projectId, "fil.1", "archive").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as NetworkError).code).toBe("ECONNREFUSED");
    expect((error as NetworkError).budgetExhausted).toBe(true);
    expect(delays).toHaveLength(2);
  });

  it("gives up at once on a Retry-After longer than the client accepts", async () => {
    fault({ kinds: ["429"], retryAfterSeconds: 3600 });
    const { sleep, delays } = recordingSleep();
    const error = await icaClientFor(sim, { sleep }).getProject(projectId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(3_600_000);
    expect((error as Error).message).toMatch(/The server asked to wait 3600 s, longer than the client accepts; retry later$/);
    expect(delays).toEqual([]);
  });

  it("BaseSpace requests follow the same policy", async () => {
    sim.setFaults({ rules: [{ route: "/v2/", rate: 1, kinds: ["429", "502"], retryAfterSeconds: 1, limit: 3 }] });
    const { sleep, delays } = recordingSleep();
    const bs = bsClientFor(sim, { sleep });
    expect((await bs.getCurrentUser()).id).toBe(sim.fixture.basespace.users[0]?.id);
    expect(delays).toHaveLength(3);
    expect(bs.stats.snapshot().routes["basespace GET /v2/users/current"]).toMatchObject({ requests: 4, retries: 3 });
  });
});
