import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/http/errors.js";
import type { IcaAnalysis } from "../../src/ica/schemas.js";
import { toV3Status } from "../../src/ica/analysis-status.js";
import { ProjectResolutionError, resolveProject } from "../../src/modules/launch/index.js";
import { projectAnalysesSnapshot } from "../../src/modules/monitor/index.js";
import { readBsshOutputProjects } from "../../src/modules/outputs/index.js";
import { findNewAnalyses } from "../../src/orchestrator/plan/new-analyses.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { collect, icaClientFor, startTestSimulator } from "../http/sim-harness.js";
import { filesUnder, markersUnder, outputFolderOf } from "../modules/output-helpers.js";

let sim: Simulator;
let sourceId: string;
let analyses: IcaAnalysis[];

beforeAll(async () => {
  sim = await startTestSimulator();
  const ica = icaClientFor(sim);
  sourceId = (await resolveProject(ica, SOURCE_PROJECT_NAME)).id;
  analyses = await projectAnalysesSnapshot(ica, sourceId);
});
afterAll(() => sim.stop());

const fixtureAnalyses = () => sim.fixture.ica.analyses.filter((a) => a.projectId === sourceId);
const byRow = (row: number) => analyses.find((a) => a.id.startsWith(`a00000${String(row).padStart(2, "0")}`)) as IcaAnalysis;

describe("launch: projects", () => {
  it("resolves by exact name and by id", async () => {
    const ica = icaClientFor(sim);
    const byName = await resolveProject(ica, DESTINATION_PROJECT_NAME);
    expect(byName.name).toBe(DESTINATION_PROJECT_NAME);
    expect((await resolveProject(ica, byName.id)).name).toBe(DESTINATION_PROJECT_NAME);
  });

  it("lists every visible project across pages", async () => {
    const ica = icaClientFor(sim, { pageSize: 1 });
    const visible = sim.fixture.ica.projects.filter((p) => p.name !== "neighbour-lab-private");
    expect((await collect(ica.listProjects())).map((p) => p.id).sort()).toEqual(visible.map((p) => p.id).sort());
    expect(ica.stats.snapshot().routes["ica GET /api/projects"]?.requests).toBe(visible.length);
  });

  it("explains a name that matches nothing exactly, listing the closest names the key can see, a typo's first", async () => {
    const ica = icaClientFor(sim);
    // A typo: ICA's free-text search finds nothing for it, the edit distance does.
    const error = await resolveProject(ica, "Core-BSH-runs").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectResolutionError);
    expect((error as Error).message).toMatch(
      /^No ICA project is named exactly "Core-BSH-runs"; the closest names this key can see: "core-bssh-runs" \([^)]+\), "mgi-fastq-delivery" \(/,
    );
    expect((error as ProjectResolutionError).candidates[0]?.name).toBe(SOURCE_PROJECT_NAME);
    expect((error as Error).message).not.toContain("neighbour-lab-private");
    // A project of another tenant is invisible, whether asked by name or id.
    await expect(resolveProject(ica, "neighbour-lab-private")).rejects.toThrow(ProjectResolutionError);
  });

  it("refuses an ambiguous name and lists the candidates", async () => {
    const other = await startTestSimulator({
      fixture: (() => {
        const f = structuredClone(sim.fixture);
        const first = f.ica.projects[0] as (typeof f.ica.projects)[number];
        f.ica.projects.push({ ...first, id: "0b5f2a8e-0000-4000-8000-00000000d0b1" });
        return f;
      })(),
    });
    try {
      const error = await resolveProject(icaClientFor(other), sim.fixture.ica.projects[0]?.name ?? "").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectResolutionError);
      expect((error as ProjectResolutionError).candidates).toHaveLength(2);
      expect((error as Error).message).toMatch(/is ambiguous: 2 projects have it: .*0b5f2a8e-0000-4000-8000-00000000d0b1.*pass the project id instead/);
    } finally {
      await other.stop();
    }
  });
});

describe("monitor", () => {
  it("lists every analysis of the project, across pages, through analysis:search", async () => {
    const ica = icaClientFor(sim, { pageSize: 3 });
    const paged = await projectAnalysesSnapshot(ica, sourceId);
    expect(paged.map((a) => a.id).sort()).toEqual(fixtureAnalyses().map((a) => a.id).sort());
    const searches = ica.stats.snapshot().routes["ica POST /api/projects/{projectId}/analysis:search"];
    expect(searches?.requests).toBe(Math.ceil(fixtureAnalyses().length / 3));
  });

  it("filters by status on the server, in V4 spelling through either endpoint", async () => {
    const ica = icaClientFor(sim, { pageSize: 2 });
    const statuses = ["IN_PROGRESS", "QUEUED"];
    const expected = fixtureAnalyses().filter((a) => statuses.includes(a.status)).map((a) => a.id).sort();
    const viaSearch = await collect(ica.searchAnalyses(sourceId, { statuses }));
    expect(viaSearch.map((a) => a.id).sort()).toEqual(expected);
    expect(new Set(viaSearch.map((a) => a.status))).toEqual(new Set(statuses));
    const succeeded = await collect(ica.listAnalysesV3(sourceId, { status: toV3Status("SUCCEEDED") }));
    expect(succeeded.map((a) => a.id).sort()).toEqual(fixtureAnalyses().filter((a) => a.status === "SUCCEEDED").map((a) => a.id).sort());
    const running = await collect(ica.listAnalysesV3(sourceId, { status: toV3Status("IN_PROGRESS") }));
    expect(running.map((a) => a.status)).toEqual(["IN_PROGRESS"]);
  });

  it("the deprecated V3 listing pages too and normalises its spellings", async () => {
    const ica = icaClientFor(sim, { pageSize: 4 });
    const v3 = await collect(ica.listAnalysesV3(sourceId));
    expect(v3).toHaveLength(fixtureAnalyses().length);
    expect(v3.every((a) => !["INPROGRESS", "AWAITINGINPUT", "FAILEDFINAL"].includes(a.status))).toBe(true);
  });

  it("groups BCLConvert analyses as pending, done and failed", async () => {
    const found = findNewAnalyses({ analyses, managedIds: new Set(), inFlight: [] });
    const groups = { done: found.toManage.map(({ analysis }) => analysis), pending: found.pending, failed: found.failed };
    const rows = (list: IcaAnalysis[]) => list.map((a) => Number(a.id.slice(6, 8))).sort((x, y) => x - y);
    expect(rows(groups.done)).toEqual([1, 2, 3, 9, 10, 11, 12, 13, 15]);
    expect(rows(groups.pending)).toEqual([4, 5]);
    expect(rows(groups.failed)).toEqual([6, 7, 16]);
  });

  it("gets one analysis in V4, and a 404 for an unknown id without retrying", async () => {
    const ica = icaClientFor(sim);
    const one = await ica.getAnalysis(sourceId, byRow(5).id);
    expect(one.status).toBe("QUEUED");
    expect(one.pipeline.code).toMatch(/BclConvert/);
    const missing = await ica.getAnalysis(sourceId, "00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).attempts).toBe(1);
    expect(ica.stats.snapshot().routes["ica GET /api/projects/{projectId}/analyses/{analysisId}"]?.requests).toBe(2);
  });
});

describe("outputs", () => {
  it("finds the output folder and streams every file under it, across pages", async () => {
    const ica = icaClientFor(sim, { pageSize: 5 });
    const row1 = byRow(1);
    const folder = await outputFolderOf(icaClientFor(sim), sourceId, row1);
    expect(folder.path).toBe(`/ilmn-analyses/${row1.reference}/`);
    expect(folder.dataType).toBe("FOLDER");
    const files = await filesUnder(ica, sourceId, folder.path);
    const expected = sim.fixture.ica.analyses.find((a) => a.id === row1.id)?.files ?? [];
    expect(files.map((f) => f.path).sort()).toEqual(expected.map((f) => `${folder.path}${f.path}`).sort());
    expect(files.length).toBeGreaterThan(5);
    expect(files.every((f) => f.dataType === "FILE")).toBe(true);
    const listings = ica.stats.snapshot().routes["ica GET /api/projects/{projectId}/data"];
    expect(listings?.requests).toBe(Math.max(1, Math.ceil(files.length / 5)));
  });

  it("finds marker files with one filtered call and reads bsshoutput.json", async () => {
    const ica = icaClientFor(sim);
    const bssh = await outputFolderOf(ica, sourceId, byRow(1));
    const before = ica.stats.snapshot().totalRequests;
    const markers = await markersUnder(ica, sourceId, bssh.path);
    expect(ica.stats.snapshot().totalRequests - before).toBe(1);
    expect(markers.bsshOutput?.name).toBe("bsshoutput.json");
    expect(markers.tags).toBeUndefined();
    const q4 = sim.fixture.basespace.projects.find((p) => p.name === "CoreRuns_2025_Q4");
    expect(await readBsshOutputProjects(ica, sourceId, markers.bsshOutput as NonNullable<typeof markers.bsshOutput>)).toEqual([
      { name: "CoreRuns_2025_Q4", id: q4?.id },
    ]);

    const icaManaged = await markersUnder(ica, sourceId, (await outputFolderOf(ica, sourceId, byRow(9))).path);
    expect(icaManaged.tags?.name).toBe("_tags.json");
    expect(icaManaged.bsshOutput).toBeUndefined();
    const neither = await markersUnder(ica, sourceId, (await outputFolderOf(ica, sourceId, byRow(15))).path);
    expect(neither).toEqual({});
  });

  it("sorted listings use offset paging and still return everything", async () => {
    const ica = icaClientFor(sim, { pageSize: 4 });
    const folder = await outputFolderOf(ica, sourceId, byRow(1));
    const filter = { filePath: [folder.path], filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE" as const, type: "FILE" as const };
    const sorted = await collect(ica.listData(sourceId, filter, { sort: "name desc" }));
    const cursor = await collect(ica.listData(sourceId, filter));
    expect(sorted.map((f) => f.id).sort()).toEqual(cursor.map((f) => f.id).sort());
    expect(sorted.map((f) => f.name)).toEqual([...sorted.map((f) => f.name)].sort().reverse());
  });
});
