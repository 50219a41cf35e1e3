import { afterEach, beforeEach, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { DONE, RUNNING, SOURCE, icaApi, startIcaSim, v4 } from "./ica-harness.js";

let sim: Simulator;
beforeEach(async () => {
  sim = await startIcaSim();
});
afterEach(async () => {
  await sim.stop();
});

const finish = (body: unknown) =>
  fetch(`${sim.icaUrl}/__sim/analyses:finish`, { method: "POST", body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

/** The poll of watch: SUCCEEDED only, newest end first, one page. */
const latestSucceeded = async (api: ReturnType<typeof icaApi>): Promise<string[]> => {
  const page = await api("POST", `/projects/${SOURCE}/analysis:search?sort=endDate%20desc&pageSize=5&pageOffset=0`, { body: { status: ["SUCCEEDED"] } });
  expect(page.status).toBe(200);
  return (page.body.items as { id: string }[]).map((a) => a.id);
};

it("POST /__sim/analyses:finish starts another run like a SUCCEEDED analysis, which succeeds with a copy of its output when due", async () => {
  const api = icaApi(sim);
  expect(await finish({ analysisId: RUNNING, endInMs: 0 })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/is IN_PROGRESS: name a SUCCEEDED analysis/) } });
  expect((await finish({ analysisId: DONE, endInMs: -1 })).status).toBe(400);

  const started = await finish({ analysisId: DONE, endInMs: 60_000 });
  expect(started.status).toBe(200);
  const { id, reference, endsAtMs } = started.body as { id: string; reference: string; endsAtMs: number };
  // Another run folder (R1), so the tool does not take it for a rerun of the delivered one.
  expect(reference).toMatch(/^20240529_LH00619_0013_B22CCFJLT4R1_a912e3_9d578d-BclConvert_v4_1_23_patch1-/);
  expect((await api("GET", `/projects/${SOURCE}/analyses/${id}`, { headers: v4 })).body.status).toBe("IN_PROGRESS");
  expect(await latestSucceeded(api)).not.toContain(id);

  sim.advanceClock(60_000);
  const done = (await api("GET", `/projects/${SOURCE}/analyses/${id}`, { headers: v4 })).body as { status: string; endDate: string };
  expect(done).toMatchObject({ status: "SUCCEEDED", endDate: new Date(endsAtMs).toISOString() });
  expect((await latestSucceeded(api))[0]).toBe(id);
  const names = async (analysisId: string): Promise<string[]> => {
    const outputs = (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}/outputs`)).body as { items: { data: { children?: unknown[] }[] }[] };
    return JSON.stringify(outputs).match(/"name":"[^"]+\.fastq\.gz"/g)?.sort() ?? [];
  };
  expect(await names(id)).toEqual(await names(DONE));
  expect((await names(id)).length).toBeGreaterThan(0);
});
