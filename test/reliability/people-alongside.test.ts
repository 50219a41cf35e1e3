// Guarantee 3, "people act alongside the tool", through the real cycle against the simulator: a person
// acts between two of the tool's requests (the simulator's person hooks) and the tool must notice.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BaseSpaceClient } from "../../src/basespace/client.js";
import { IcaClient } from "../../src/ica/client.js";
import { statePaths } from "../../src/state/index.js";
import { SOURCE_ID, worldFixture, type ModelAnalysis, type ModelBsItem, type World } from "./random-world.js";
import { bundleCli, runCliProcess, type CliBundle } from "./cli-process.js";
import { Scenario } from "./scenario.js";
import { loadedAtMs, worldSettings } from "./world-check.js";
import { readAuditLog } from "../../src/state/audit-log.js";


const analysis = (index: number, marker: ModelAnalysis["marker"], bsProjects: string[] = []): ModelAnalysis => ({
  id: `a1a1a1a1-0000-4000-8000-${index.toString(16).padStart(12, "0")}`,
  projectId: SOURCE_ID,
  reference: `20250101_${index}-ref`,
  pipelineCode: "DRAGEN_Germline_Whole_Genome_4-3-13",
  status: "SUCCEEDED",
  createdDaysAgo: 200,
  startDaysAgo: 200,
  marker,
  bsProjects,
  outputStatus: "AVAILABLE",
  fastqs: [],
  runFolder: null,
});

const dataset = (index: number, createdDaysAgo = 200, projectName = "BSP-Alpha"): ModelBsItem => ({
  kind: "dataset",
  id: `ds.${index.toString(16).padStart(32, "0")}`,
  name: `DS-${index}`,
  projectName,
  createdDaysAgo,
  isArchived: false,
});

function world(analyses: ModelAnalysis[], bsItems: ModelBsItem[]): World {
  return {
    analyses,
    bsItems,
    person: null,
    fault: null,
    handTrashed: 0,
    settings: { daysToArchive: null, daysToDelete: 30, deleteCap: 500, protect: [], basespaceRuns: "none", emptyTrash: "own-only", dryRun: false },
    secondCycleAfterDays: null,
  };
}

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function start(w: World): Promise<Scenario> {
  s = await Scenario.start({ fixture: worldFixture(w), startMs: loadedAtMs });
  return s;
}

// One call at a time, so that "between two requests" is a definite moment.
const settingsOf = (scenario: Scenario, w: World) => worldSettings(scenario, w, { concurrency: 1 });

async function trashNames(scenario: Scenario): Promise<string[]> {
  const bs = new BaseSpaceClient({ apiServer: scenario.sim.basespaceUrl, accessToken: scenario.sim.basespaceToken });
  const names: string[] = [];
  for await (const entry of bs.listTrash()) names.push(entry.name ?? "");
  return names.sort();
}

const emptyTrashRoute = "DELETE /v2/trash";

describe("people acting alongside the tool", () => {
  it("a 429 on emptying the trash is not replayed blindly: an item a person trashed during the wait is not purged", async () => {
    const w = world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1), dataset(2, 1)]);
    const scenario = await start(w);
    scenario.sim.setFaults({ rules: [{ route: emptyTrashRoute, rate: 1, kinds: ["429"], retryAfterSeconds: 0, limit: 1 }] });
    scenario.sim.addPersonHook({ after: emptyTrashRoute, actions: [{ kind: "request", method: "DELETE", path: `/v2/datasets/${dataset(2).id}` }] });

    const report = await scenario.cycle(settingsOf(scenario, w));

    expect(scenario.sim.personHooks()[0]?.results).toEqual([200]);
    expect(scenario.sim.stats().byRoute[emptyTrashRoute]).toBe(1);
    expect(await trashNames(scenario)).toEqual(["DS-1", "DS-2"]);
    expect(report.warnings.join("\n")).toMatch(/trash not emptied: listed again after a failed attempt.*DS-2/);
    const audit = (await readAuditLog(statePaths(scenario.stateDir).audit)).entries;
    expect(audit.filter((line) => line.action === "empty-trash").map((line) => line.result)).toEqual(["intent", "failed"]);
  });

  it("after a 429 and a fresh listing that still holds only ours, the trash is emptied and the audit names exactly that", async () => {
    const w = world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1)]);
    const scenario = await start(w);
    scenario.sim.setFaults({ rules: [{ route: emptyTrashRoute, rate: 1, kinds: ["429"], retryAfterSeconds: 0, limit: 1 }] });

    await scenario.cycle(settingsOf(scenario, w));

    expect(scenario.sim.stats().byRoute[emptyTrashRoute]).toBe(2);
    expect(await trashNames(scenario)).toEqual([]);
    const audit = (await readAuditLog(statePaths(scenario.stateDir).audit)).entries;
    const purges = audit.filter((line) => line.action === "empty-trash");
    expect(purges.map((line) => line.result)).toEqual(["intent", "failed", "intent", "ok"]);
    expect(purges[2]?.targets.ids).toEqual([dataset(1).id]);
    expect(purges[3]?.targets.ids).toEqual([dataset(1).id]);
  });

  it("a dataset a person trashed between two of the tool's trash moves is left alone, and then the trash is not emptied", async () => {
    const w = world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1), dataset(2)]);
    const scenario = await start(w);
    scenario.sim.addPersonHook({ after: "DELETE /v2/datasets/{id}", actions: [{ kind: "request", method: "DELETE", path: `/v2/datasets/${dataset(2).id}` }] });

    const report = await scenario.cycle(settingsOf(scenario, w));

    // The person's own requests are not the tool's: the stats count only DS-1.
    expect(scenario.sim.stats().byRoute["DELETE /v2/datasets/{id}"]).toBe(1);
    expect(report.warnings.join("\n")).toMatch(/trash dataset DS-2 .* skipped: someone else moved it to the trash/);
    expect(scenario.sim.stats().byRoute[emptyTrashRoute] ?? 0).toBe(0);
    expect(await trashNames(scenario)).toEqual(["DS-1", "DS-2"]);
  });

  it("an ICA output folder a person archived after the plan is not deleted", async () => {
    const w = world([analysis(1, "ica"), analysis(2, "ica")], []);
    const scenario = await start(w);
    const deleteRoute = "POST /ica/rest/api/projects/{projectId}/data/{dataId}:delete";
    const folderOf = async (reference: string) => {
      const ica = new IcaClient({ serverUrl: scenario.sim.icaUrl, apiKey: scenario.sim.apiKey });
      for await (const item of ica.listData(SOURCE_ID, { filePath: [`/ilmn-analyses/${reference}/`], filePathMatchMode: "FULL_CASE_INSENSITIVE" })) return item;
      throw new Error(`no folder for ${reference}`);
    };
    const folders = await Promise.all([folderOf(analysis(1, "ica").reference), folderOf(analysis(2, "ica").reference)]);
    // Whichever folder the tool deletes first, a person archives the other one right after.
    scenario.sim.addPersonHook({
      after: deleteRoute,
      actions: folders.map((f) => ({ kind: "request" as const, method: "POST" as const, path: `/ica/rest/api/projects/${SOURCE_ID}/data/${f.id}:archive` })),
    });

    const report = await scenario.cycle(settingsOf(scenario, w));

    expect(scenario.sim.stats().byRoute[deleteRoute]).toBe(1);
    expect(report.warnings.join("\n")).toMatch(/delete \/ilmn-analyses\/.* skipped: its status is now ARCHIV/);
  });
});

describe("a bulk archive is sent on items read again right before it", () => {
  const archiveRoute = "POST /v2/archive";
  // Datasets 200 days old with days_to_archive 10 and days_to_delete 300: all three are to be archived.
  const archiving = (w: World): World => ({ ...w, settings: { ...w.settings, daysToArchive: 10, daysToDelete: 300 } });
  const archiveBodies = (scenario: Scenario) =>
    scenario.proxy.requests.filter((r) => `${r.method} ${r.path}` === archiveRoute).map((r) => JSON.parse(r.body) as { DatasetIds: string[] });

  it("leaves out a dataset a person trashed and one a person archived between the listing and the request", async () => {
    const w = archiving(world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1), dataset(2), dataset(3)]));
    const scenario = await start(w);
    // Right after the lifecycle's listing: someone trashes DS-2 and archives DS-3 by hand.
    scenario.sim.addPersonHook({
      after: "GET /v2/projects/{id}/datasets",
      actions: [
        { kind: "request", method: "DELETE", path: `/v2/datasets/${dataset(2).id}` },
        { kind: "request", method: "POST", path: "/v2/archive", body: { DatasetIds: [dataset(3).id] } },
      ],
    });

    const report = await scenario.cycle(settingsOf(scenario, w));

    expect(scenario.sim.personHooks()[0]?.results).toEqual([200, 200]);
    expect(archiveBodies(scenario).map((body) => body.DatasetIds)).toEqual([[dataset(1).id]]);
    const warnings = report.warnings.join("\n");
    expect(warnings).toMatch(/archive dataset DS-2 \[ds\.0+2\] skipped: someone moved it to the trash/);
    expect(warnings).toMatch(/archive dataset DS-3 \[ds\.0+3\] skipped: someone archived it since the listing/);
    const audit = (await readAuditLog(statePaths(scenario.stateDir).audit)).entries;
    expect(audit.filter((line) => line.action === "archive").map((line) => line.targets.ids)).toEqual([[dataset(1).id], [dataset(1).id]]);
  });

  it("sends nothing when the items cannot be read again, and says so as an error of the step", async () => {
    const w = archiving(world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1), dataset(2)]));
    const scenario = await start(w);
    // DS-2 is trashed after the listing, so the re-read must read it by id, and that read fails.
    scenario.sim.addPersonHook({ after: "GET /v2/projects/{id}/datasets", actions: [{ kind: "request", method: "DELETE", path: `/v2/datasets/${dataset(2).id}` }] });
    scenario.sim.setFaults({ rules: [{ route: "GET /v2/datasets/{id}", rate: 1, kinds: ["500"] }] });

    const report = await scenario.cycle(settingsOf(scenario, w));

    expect(scenario.sim.stats().byRoute["GET /v2/datasets/{id}"]).toBeGreaterThan(0);
    // Not even DS-1, which did read unchanged: the request's precondition is not confirmed as a whole.
    expect(archiveBodies(scenario)).toEqual([]);
    expect(report.outcome).toBe("failures");
    expect(report.errors.join("\n")).toMatch(/archive of 2 BaseSpace item\(s\) not sent: reading them again before the request failed .*nothing was done/);
    const audit = (await readAuditLog(statePaths(scenario.stateDir).audit)).entries;
    expect(audit.filter((line) => line.action === "archive")).toEqual([]);
  });
});

describe("what a person did is a person's decision", () => {
  let cli: CliBundle;
  beforeAll(async () => {
    cli = await bundleCli();
  }, 120_000);

  const trashRoute = "DELETE /v2/datasets/{id}";
  const cliRun = (scenario: Scenario, ...args: string[]) =>
    runCliProcess(cli, [...args, "--state_dir", scenario.stateDir], { env: scenario.cliEnv() });

  it("a dataset restored from the trash is not trashed again until the operator releases it", async () => {
    const w = { ...world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1)]), settings: { ...world([], []).settings, emptyTrash: "never" as const } };
    const scenario = await start(w);
    const settings = settingsOf(scenario, w);
    await scenario.cycle(settings);
    expect(scenario.sim.stats().byRoute[trashRoute]).toBe(1);

    // Between two cycles, someone brings it back from the trash.
    scenario.sim.addPersonHook({ after: "*", actions: [{ kind: "restore-from-trash", itemId: dataset(1).id }] });
    const second = await scenario.cycle(settings);
    expect(scenario.sim.personHooks()[0]?.results).toEqual([200]);
    expect(second.warnings.join("\n")).toContain(`BaseSpace dataset DS-1 [${dataset(1).id}]: restored from the trash`);
    const third = await scenario.cycle(settings);
    expect(third.warnings.join("\n")).not.toContain("restored from the trash"); // reported once
    expect(scenario.sim.stats().byRoute[trashRoute]).toBe(1);

    const status = await cliRun(scenario, "status");
    expect(status.stdout).toMatch(/Left alone as a person's decision .*: 1\n.*DS-1/);

    const unknown = await cliRun(scenario, "release", "ds.not-held");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("ds.not-held is not held as a person's decision");

    const released = await cliRun(scenario, "release", dataset(1).id);
    expect(released.code).toBe(0);
    expect(released.stdout).toContain(`released BaseSpace dataset DS-1 [${dataset(1).id}]`);
    await scenario.cycle(settings);
    expect(scenario.sim.stats().byRoute[trashRoute]).toBe(2);
  }, 60_000);

  it("a restore from the trash within the same cycle is noticed when the trash is read, and the dataset stays", async () => {
    const w = world([analysis(1, "bssh", ["BSP-Alpha"])], [dataset(1)]);
    const scenario = await start(w);
    scenario.sim.addPersonHook({ after: trashRoute, actions: [{ kind: "restore-from-trash", itemId: dataset(1).id }] });
    const settings = settingsOf(scenario, w);

    const first = await scenario.cycle(settings);
    expect(first.warnings.join("\n")).toContain("restored from the trash");
    await scenario.cycle(settings);
    expect(scenario.sim.stats().byRoute[trashRoute]).toBe(1);
    expect(scenario.sim.stats().byRoute[emptyTrashRoute] ?? 0).toBe(0);
    expect(scenario.sim.state().counts.basespace.datasets).toBe(1);
  });

  it("an ICA folder a person unarchived after this tool archived it is not deleted", async () => {
    const w = { ...world([analysis(1, "ica")], []), settings: { ...world([], []).settings, daysToArchive: 10, daysToDelete: 300 } };
    const scenario = await start(w);
    const settings = settingsOf(scenario, w);
    await scenario.cycle(settings);
    const archiveRoute = "POST /ica/rest/api/projects/{projectId}/data/{dataId}:archive";
    expect(scenario.sim.stats().byRoute[archiveRoute]).toBe(1);
    const ica = new IcaClient({ serverUrl: scenario.sim.icaUrl, apiKey: scenario.sim.apiKey });
    let folderId = "";
    for await (const item of ica.listData(SOURCE_ID, { filePath: [`/ilmn-analyses/${analysis(1, "ica").reference}/`], filePathMatchMode: "FULL_CASE_INSENSITIVE" })) folderId = item.id;
    scenario.sim.addPersonHook({ after: "*", actions: [{ kind: "request", method: "POST", path: `/ica/rest/api/projects/${SOURCE_ID}/data/${folderId}:unarchive` }] });
    scenario.sim.advanceClock(300 * 86_400_000);

    const report = await scenario.cycle(settings);

    expect(report.warnings.join("\n")).toMatch(/ICA folder .* unarchived by someone/);
    expect(scenario.sim.stats().byRoute["POST /ica/rest/api/projects/{projectId}/data/{dataId}:delete"] ?? 0).toBe(0);
  });
});
