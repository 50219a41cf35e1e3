import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { ARCHIVED, DONE, DONE_FOLDER, SOURCE, icaApi, slowTimings, startIcaSim } from "./ica-harness.js";

let sim: Simulator;
let api: ReturnType<typeof icaApi>;

beforeAll(async () => {
  sim = await startIcaSim();
  api = icaApi(sim);
});
afterAll(() => sim.stop());

const outputFolderOf = async (analysisId: string): Promise<string> =>
  (await api("GET", `/projects/${SOURCE}/analyses/${analysisId}/outputs`)).body.items[0].data[0].dataId;

/** Status of everything under a path, keyed by path. */
async function statuses(prefix: string): Promise<Map<string, string>> {
  const page = await api("GET", `/projects/${SOURCE}/data?filePath=${encodeURIComponent(prefix)}&pageSize=1000`);
  return new Map(page.body.items.map((r: { data: { details: { path: string; status: string } } }) => [r.data.details.path, r.data.details.status]));
}

const action = (dataId: string, name: string) => api("POST", `/projects/${SOURCE}/data/${dataId}:${name}`);

describe("ICA simulator: archive, unarchive, delete", () => {
  it("archives a folder and everything under it: ARCHIVING now, ARCHIVED once the clock passes the delay", async () => {
    const folder = await outputFolderOf(DONE);
    const started = await action(folder, "archive");
    expect(started.status).toBe(204);
    expect(started.body).toBeUndefined();
    const during = await statuses(DONE_FOLDER);
    expect(during.size).toBe(24);
    expect(new Set(during.values())).toEqual(new Set(["ARCHIVING"]));
    sim.advanceClock((slowTimings.icaArchiveMs as number) / 2);
    expect(new Set((await statuses(DONE_FOLDER)).values())).toEqual(new Set(["ARCHIVING"]));
    sim.advanceClock(slowTimings.icaArchiveMs as number);
    expect(new Set((await statuses(DONE_FOLDER)).values())).toEqual(new Set(["ARCHIVED"]));
    expect((await action(folder, "archive")).status).toBe(204);
    expect(sim.state().pendingChanges).toBe(0);
  });

  it("refuses to delete or download archived data, and unarchives it over the configured time", async () => {
    const folder = await outputFolderOf(DONE);
    const refused = await action(folder, "delete");
    expect(refused.status).toBe(409);
    expect(refused.contentType).toBe("application/problem+json");
    expect(refused.body.detail).toContain("unarchive");
    const marker = (await api("GET", `/projects/${SOURCE}/data?filename=bsshoutput.json&filePath=${encodeURIComponent(DONE_FOLDER)}`)).body.items[0].data.id;
    expect((await action(marker, "createDownloadUrl")).status).toBe(409);
    expect((await action(folder, "unarchive")).status).toBe(204);
    expect(new Set((await statuses(DONE_FOLDER)).values())).toEqual(new Set(["UNARCHIVING"]));
    expect((await action(folder, "delete")).status).toBe(409);
    sim.advanceClock(slowTimings.icaUnarchiveMs as number);
    expect(new Set((await statuses(DONE_FOLDER)).values())).toEqual(new Set(["AVAILABLE"]));
  });

  it("deletes recursively: DELETING, then gone (404), objects removed, counted", async () => {
    const folder = await outputFolderOf(DONE);
    const markerPath = `${DONE_FOLDER}output/bsshoutput.json`;
    expect(sim.objects.get(`${SOURCE}${markerPath}`)).toBeDefined();
    expect((await action(folder, "delete")).status).toBe(204);
    const one = await api("GET", `/projects/${SOURCE}/data/${folder}`);
    expect(one.body.data.details.status).toBe("DELETING");
    expect((await action(folder, "archive")).status).toBe(409);
    sim.advanceClock(slowTimings.icaDeleteMs as number);
    expect((await api("GET", `/projects/${SOURCE}/data/${folder}`)).status).toBe(404);
    expect((await statuses(DONE_FOLDER)).size).toBe(0);
    expect(sim.objects.get(`${SOURCE}${markerPath}`)).toBeUndefined();
    const counts = sim.state().counts.ica as Record<string, number>;
    expect(counts.deletedFiles).toBe(13);
    expect(counts.deletedFolders).toBe(11);
    const outputs = await api("GET", `/projects/${SOURCE}/analyses/${DONE}/outputs`);
    expect(outputs.body.items[0].data).toEqual([]);
  });

  it("refuses to archive a file that is still being uploaded", async () => {
    const made = await api("POST", `/projects/${SOURCE}/data:createFile`, { body: { name: "partial.csv", folderPath: "/fastq_manifests/" } });
    const refused = await action(made.body.data.id, "archive");
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("PARTIAL");
    expect((await action(made.body.data.id, "delete")).status).toBe(204);
  });

  it("unarchives a fixture-archived analysis; a repeated unarchive changes nothing", async () => {
    const folder = await outputFolderOf(ARCHIVED);
    expect((await action(folder, "unarchive")).status).toBe(204);
    expect((await action(folder, "unarchive")).status).toBe(204);
    sim.advanceClock(slowTimings.icaUnarchiveMs as number);
    const after = await api("GET", `/projects/${SOURCE}/data/${folder}`);
    expect(after.body.data.details.status).toBe("AVAILABLE");
    expect(Date.parse(after.body.data.details.timeModified)).toBeLessThanOrEqual(sim.clock.now());
  });
});
