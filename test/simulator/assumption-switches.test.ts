import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFERRED_PURGE_MS, DELAYED_AVAILABLE_MS, assumptionIds } from "../../src/simulator/assumption-switches.js";
import { startSimulator } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { bs, datasetId, runId, startBasespaceSim } from "./basespace-fixture.js";
import { DONE, DONE_FOLDER, SOURCE, icaApi, startIcaSim } from "./ica-harness.js";

const control = (sim: Simulator, method: string, body?: unknown) =>
  fetch(`${sim.icaUrl}/__sim/assumptions`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as { assumptions?: Array<{ id: string; value: string }>; error?: string } }),
  );

describe("switching assumptions", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startBasespaceSim({ assume: { "bs.trash-endpoint": "absent" } });
  });
  afterAll(() => sim.stop());

  it("GET lists every switch with its value and alternatives; startSimulator({assume}) sets the start value", async () => {
    const { status, body } = await control(sim, "GET");
    expect(status).toBe(200);
    expect(body.assumptions?.map((a) => a.id)).toEqual(assumptionIds);
    expect(body.assumptions?.find((a) => a.id === "bs.trash-endpoint")).toMatchObject({
      value: "absent",
      alternatives: { "v2-delete": expect.any(String), absent: expect.any(String), "runs-only": expect.any(String) },
    });
  });

  it("PUT changes a value for the next request; reset goes back to the start values", async () => {
    expect((await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`)).status).toBe(405);
    const put = await control(sim, "PUT", { "bs.trash-endpoint": "v2-delete" });
    expect(put.body.assumptions?.find((a) => a.id === "bs.trash-endpoint")?.value).toBe("v2-delete");
    expect((await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`)).status).toBe(200);
    sim.reset();
    expect(sim.assumptions().find((a) => a.id === "bs.trash-endpoint")?.value).toBe("absent");
  });

  it("PUT refuses an unknown id or alternative with a 400 naming it, and changes nothing", async () => {
    const unknownId = await control(sim, "PUT", { "bs.no-such": "x" });
    expect(unknownId.status).toBe(400);
    expect(unknownId.body.error).toContain('unknown assumption "bs.no-such"');
    const unknownValue = await control(sim, "PUT", { "bs.trash-endpoint": "maybe" });
    expect(unknownValue.status).toBe(400);
    expect(unknownValue.body.error).toContain('"bs.trash-endpoint" has no alternative "maybe"; use one of v2-delete, absent, runs-only');
    expect(sim.assumptions().find((a) => a.id === "bs.trash-endpoint")?.value).toBe("absent");
  });

  it("startSimulator refuses an unknown alternative before listening", async () => {
    await expect(startSimulator({ fixture: "demo", assume: { "ica.folder-status": "nope" } as never })).rejects.toThrow(
      'assumption "ica.folder-status" has no alternative "nope"',
    );
  });
});

describe("BaseSpace alternatives", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startBasespaceSim();
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.stop());
  const assume = (patch: Record<string, string>) => sim.setAssumptions(patch);

  it("bs.trash-endpoint=runs-only: datasets 405, runs trashed", async () => {
    assume({ "bs.trash-endpoint": "runs-only" });
    expect((await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`)).status).toBe(405);
    expect((await bs(sim, "DELETE", `/v2/runs/${runId(1)}`)).status).toBe(200);
  });

  it("bs.trash-archived=allowed: an archived run goes to the trash without a restore", async () => {
    expect((await bs(sim, "DELETE", `/v2/runs/${runId(0)}`)).status).toBe(400);
    assume({ "bs.trash-archived": "allowed" });
    expect((await bs(sim, "DELETE", `/v2/runs/${runId(0)}`)).status).toBe(200);
  });

  it("bs.repeated-trash-move: 400 by default, 404 or the same trash item as alternatives", async () => {
    const first = await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`);
    expect((await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`)).status).toBe(400);
    assume({ "bs.repeated-trash-move": "not-found" });
    expect((await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`)).status).toBe(404);
    assume({ "bs.repeated-trash-move": "no-op" });
    const again = await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`);
    expect(again.status).toBe(200);
    expect(again.body.Id).toBe(first.body.Id);
  });

  it("bs.empty-trash=deferred: items stay listed until the purge runs", async () => {
    assume({ "bs.empty-trash": "deferred" });
    await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`);
    const before = (await bs(sim, "GET", "/v2/trash")).body.Paging.TotalCount;
    expect((await bs(sim, "DELETE", "/v2/trash")).status).toBe(200);
    expect((await bs(sim, "GET", "/v2/trash")).body.Paging.TotalCount).toBe(before);
    sim.advanceClock(DEFERRED_PURGE_MS);
    expect((await bs(sim, "GET", "/v2/trash")).body.Paging.TotalCount).toBe(0);
  });

  it("bs.sort-date-created=ignored: the sort is echoed but items come in id order", async () => {
    const oldestFirst = "/v2/runs?sortby=DateCreated&sortdir=Asc&limit=5";
    const honoured = (await bs(sim, "GET", oldestFirst)).body;
    assume({ "bs.sort-date-created": "ignored" });
    const ignored = (await bs(sim, "GET", oldestFirst)).body;
    expect(ignored.Paging.SortBy).toBe("DateCreated");
    const ids = ignored.Items.map((r: { Id: number | string }) => Number(r.Id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ignored.Items.map((r: { Id: string }) => r.Id)).not.toEqual(honoured.Items.map((r: { Id: string }) => r.Id));
  });

  it("bs.page-limit: 1024 by default, clamped to 100 or refused above 100", async () => {
    expect((await bs(sim, "GET", "/v2/datasets?limit=1024")).body.Paging.Limit).toBe(1024);
    assume({ "bs.page-limit": "clamped-100" });
    const clamped = (await bs(sim, "GET", "/v2/datasets?limit=1024")).body;
    expect([clamped.Paging.Limit, clamped.Items.length]).toEqual([100, 100]);
    assume({ "bs.page-limit": "rejected" });
    expect((await bs(sim, "GET", "/v2/datasets?limit=1024")).status).toBe(400);
  });

  it("bs.ineligible-bulk=skip: the eligible ids are archived, the rest skipped", async () => {
    const body = { DatasetIds: [datasetId(1), datasetId(0)] };
    expect((await bs(sim, "POST", "/v2/archive", { body })).status).toBe(400);
    assume({ "bs.ineligible-bulk": "skip" });
    expect((await bs(sim, "POST", "/v2/archive", { body })).status).toBe(200);
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(1)}`)).body.IsArchived).toBe(true);
  });
});

describe("ICA alternatives", () => {
  let sim: Simulator;
  let api: ReturnType<typeof icaApi>;
  beforeAll(async () => {
    sim = await startIcaSim({ icaArchiveMs: 0, icaUnarchiveMs: 0, icaDeleteMs: 0 });
    api = icaApi(sim);
  });
  afterEach(() => sim.reset());
  afterAll(() => sim.stop());
  const assume = (patch: Record<string, string>) => sim.setAssumptions(patch);
  const folderOf = async (analysisId: string): Promise<string> =>
    (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}/outputs`)).body.items[0].data[0].dataId;
  const data = async (id: string) => (await api("GET", `/projects/${SOURCE}/data/${id}`)).body.data;
  const lifecycle = (id: string, action: string) => api("POST", `/projects/${SOURCE}/data/${id}:${action}`);
  const filesUnder = async (path: string): Promise<Set<string>> => {
    const page = await api("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(path)}&type=FILE&pageSize=1000`);
    return new Set(page.body.items.map((r: { data: { details: { status: string } } }) => r.data.details.status));
  };

  it("ica.folder-status=stays-available: the files are archived, the folder says AVAILABLE", async () => {
    assume({ "ica.folder-status": "stays-available" });
    const folder = await folderOf(DONE);
    expect((await lifecycle(folder, "archive")).status).toBe(204);
    sim.advanceClock(1);
    expect((await data(folder)).details.status).toBe("AVAILABLE");
    expect(await filesUnder(DONE_FOLDER)).toEqual(new Set(["ARCHIVED"]));
  });

  it("ica.delete-archived=allowed: archived data is deleted without an unarchive", async () => {
    const folder = await folderOf(DONE);
    await lifecycle(folder, "archive");
    sim.advanceClock(1);
    expect((await lifecycle(folder, "delete")).status).toBe(409);
    assume({ "ica.delete-archived": "allowed" });
    expect((await lifecycle(folder, "delete")).status).toBe(204);
  });

  it("ica.repeated-lifecycle-action=conflict: archiving archived data is a 409", async () => {
    const folder = await folderOf(DONE);
    await lifecycle(folder, "archive");
    expect((await lifecycle(folder, "archive")).status).toBe(204);
    assume({ "ica.repeated-lifecycle-action": "conflict" });
    expect((await lifecycle(folder, "archive")).status).toBe(409);
  });

  it("ica.multi-value-query=last-only: only the last id of id=a&id=b is honoured", async () => {
    const folder = await folderOf(DONE);
    const marker = (await api("GET", `/projects/${SOURCE}/data?filename=bsshoutput.json&filePath=${encodeURIComponent(DONE_FOLDER)}`)).body.items[0].data.id;
    const both = `/projects/${SOURCE}/data?id=${folder}&id=${marker}`;
    expect((await api("GET", both)).body.items).toHaveLength(2);
    assume({ "ica.multi-value-query": "last-only" });
    expect((await api("GET", both)).body.items.map((r: { data: { id: string } }) => r.data.id)).toEqual([marker]);
  });

  it("ica.duplicate-path=bad-request and ica.upload-available=delayed", async () => {
    const create = () => api("POST", `/projects/${SOURCE}/data`, { body: { name: "m.csv", dataType: "FILE", folderPath: "/" } });
    const created = await create();
    expect((await create()).status).toBe(409);
    assume({ "ica.duplicate-path": "bad-request", "ica.upload-available": "delayed" });
    expect((await create()).status).toBe(400);
    const id = created.body.data.id as string;
    const url = (await api("POST", `/projects/${SOURCE}/data/${id}:createUploadUrl`)).body.url as string;
    expect((await fetch(url, { method: "PUT", body: "a,b\n" })).status).toBe(200);
    expect((await data(id)).details.status).toBe("PARTIAL");
    sim.advanceClock(DELAYED_AVAILABLE_MS);
    expect((await data(id)).details.status).toBe("AVAILABLE");
  });
});
