import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BaseSpaceClient } from "../../src/basespace/client.js";
import { IcaClient } from "../../src/ica/client.js";
import { RequestStats } from "../../src/http/request-stats.js";
import { SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startRecordingProxy, type RecordingProxy } from "./recording-proxy.js";
import { collect, fastRetry, startTestSimulator } from "./sim-harness.js";

let sim: Simulator;
let proxy: RecordingProxy;
let projectId: string;

beforeAll(async () => {
  // Every answer takes 25 ms, so unthrottled callers would pile up.
  sim = await startTestSimulator({ latencyMs: 25 });
  projectId = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id as string;
});
afterAll(() => sim.stop());

async function measured(run: (serverUrl: string) => Promise<unknown>): Promise<number> {
  proxy = await startRecordingProxy(sim.icaUrl);
  try {
    await run(proxy.url);
    return proxy.maxInFlight;
  } finally {
    await proxy.close();
  }
}

describe("bounded concurrency, measured by a proxy in front of the simulator", () => {
  it("all callers of one client share its limit", async () => {
    const stats = new RequestStats();
    const peak = await measured(async (serverUrl) => {
      const ica = new IcaClient({ serverUrl, apiKey: sim.apiKey, concurrency: 3, pageSize: 2, retry: fastRetry, stats });
      await Promise.all([
        ...Array.from({ length: 20 }, () => ica.getProject(projectId)),
        collect(ica.searchAnalyses(projectId)),
        collect(ica.listAnalysesV3(projectId)),
      ]);
    });
    expect(peak).toBe(3);
    expect(stats.snapshot().maxInFlight.ica).toBe(3);
  });

  it("defaults to 8", async () => {
    const peak = await measured(async (serverUrl) => {
      const ica = new IcaClient({ serverUrl, apiKey: sim.apiKey, retry: fastRetry });
      await Promise.all(Array.from({ length: 30 }, () => ica.getProject(projectId)));
    });
    expect(peak).toBe(8);
  });

  it("each service has its own limit", async () => {
    const peak = await measured(async (serverUrl) => {
      const ica = new IcaClient({ serverUrl, apiKey: sim.apiKey, concurrency: 2, retry: fastRetry });
      const bs = new BaseSpaceClient({ apiServer: serverUrl, accessToken: sim.basespaceToken, concurrency: 4, retry: fastRetry });
      await Promise.all([
        ...Array.from({ length: 12 }, () => ica.getProject(projectId)),
        ...Array.from({ length: 12 }, () => bs.getCurrentUser()),
      ]);
    });
    expect(peak).toBe(6);
  });
});
