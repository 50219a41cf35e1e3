import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BadRequestError } from "../../src/http/errors.js";
import {
  archiveItems,
  checkTokenScopes,
  deleteEndpointTrashMover,
  emptyTrash,
  findProjectsByNames,
  listTrash,
  maxBulkIds,
  restoreItems,
  type TrashTarget,
} from "../../src/modules/bssh-utils/index.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { bsClientFor, collect, startTestSimulator } from "../http/sim-harness.js";

const dayMs = 86_400_000;
const bulkProject = "Bulk_Archive_Test";

/** The demo plus one project with more datasets than one archive request may carry. */
function fixtureWithManyDatasets(): Fixture {
  const f = namedFixture("demo");
  const ownerId = f.basespace.users[0]?.id as string;
  f.basespace.projects.push({ id: "777000777", name: bulkProject, ownerId, createdDaysAgo: 300 });
  for (let i = 0; i < maxBulkIds + 30; i++) {
    f.basespace.datasets.push({
      id: `ds.${i.toString(16).padStart(32, "0")}`,
      projectId: "777000777",
      name: `BULK-${i}`,
      createdDaysAgo: 100 + i / 100,
      sizeBytes: 1000,
      isArchived: false,
    });
  }
  return f;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator({ fixture: fixtureWithManyDatasets(), timings: { bsRestoreMs: 3_600_000 } });
});
beforeEach(() => sim.reset());
afterAll(() => sim.stop());

const fixtureProject = (name: string) => sim.fixture.basespace.projects.find((p) => p.name === name) as { id: string };

describe("identity and scopes", () => {
  it("reports the scopes a token lacks", async () => {
    const full = await checkTokenScopes(bsClientFor(sim), ["READ GLOBAL", "MOVETOTRASH GLOBAL", "empty trash"]);
    expect(full.missing).toEqual([]);
    const readOnlyToken = sim.fixture.basespace.tokens[1]?.token as string;
    const limited = await checkTokenScopes(bsClientFor(sim, { accessToken: readOnlyToken }), ["READ GLOBAL", "MOVETOTRASH GLOBAL", "EMPTY TRASH"]);
    expect(limited.scopes).toEqual(["READ GLOBAL", "BROWSE GLOBAL"]);
    expect(limited.missing).toEqual(["MOVETOTRASH GLOBAL", "EMPTY TRASH"]);
  });

  it("reads the current user", async () => {
    expect((await bsClientFor(sim).getCurrentUser()).id).toBe(sim.fixture.basespace.users[0]?.id);
  });
});

describe("listings page through everything", () => {
  it("projects by exact name over several v1pre3 pages", async () => {
    const bs = bsClientFor(sim, { pageSize: 2 });
    expect((await findProjectsByNames(bs, ["CoreRuns_2025_Q3"])).get("CoreRuns_2025_Q3")?.map((p) => p.id)).toEqual([fixtureProject("CoreRuns_2025_Q3").id]);
    expect((await findProjectsByNames(bs, ["coreruns_2025_q3"])).get("coreruns_2025_q3")).toEqual([]);
    const many = await findProjectsByNames(bs, ["CoreRuns_2025_Q4", "Retired_Project_2023"]);
    expect(many.get("CoreRuns_2025_Q4")).toHaveLength(1);
    expect(many.get("Retired_Project_2023")).toEqual([]);
    const pages = bs.stats.snapshot().routes["basespace GET /v1pre3/users/current/projects"]?.requests;
    // Three listings (two names, then one listing for both names), each over every page.
    expect(pages).toBe(3 * Math.ceil(sim.fixture.basespace.projects.length / 2));
  });

  it("datasets of several projects (v2 paging), more than 200 of them, dates parsed", async () => {
    const ids = [fixtureProject("CoreRuns_2025_Q3").id, fixtureProject(bulkProject).id];
    const expected = sim.fixture.basespace.datasets.filter((d) => ids.includes(d.projectId));
    expect(expected.length).toBeGreaterThan(200);
    const bs = bsClientFor(sim, { pageSize: 100 });
    const datasets = (await Promise.all(ids.map((id) => collect(bs.listProjectDatasets(id))))).flat();
    expect(datasets.map((d) => d.id).sort()).toEqual(expected.map((d) => d.id).sort());
    const one = datasets.find((d) => d.name === "M-175-004");
    expect(one?.isArchived).toBe(true);
    expect((sim.clock.now() - (one?.createdAtMs ?? 0)) / dayMs).toBeCloseTo(80, 1);
    const archivedOnly = await collect(bs.listProjectDatasets(ids[0] as string, { isArchived: true }));
    expect(archivedOnly.map((d) => d.name)).toEqual(["M-175-004"]);
  });

  it("runs over several pages", async () => {
    const runs = await collect(bsClientFor(sim, { pageSize: 3 }).listRuns());
    expect(runs.map((r) => r.id).sort()).toEqual(sim.fixture.basespace.runs.map((r) => r.id).sort());
    expect(runs.every((r) => Number.isFinite(r.createdAtMs) && r.name.length > 0)).toBe(true);
  });
});

describe("archive, restore, trash", () => {
  it("archives in batches of at most 250 ids and restores them later", async () => {
    const bs = bsClientFor(sim);
    const project = fixtureProject(bulkProject).id;
    const ids = (await collect(bs.listProjectDatasets(project))).map((d) => d.id);
    const archived = await archiveItems(bs, { datasetIds: ids });
    expect(archived.requests).toBe(2);
    expect(sim.stats().byRoute["POST /v2/archive"]).toBe(2);
    expect((await collect(bs.listProjectDatasets(project, { isArchived: false })))).toEqual([]);

    const restore = await restoreItems(bs, { datasetIds: ids.slice(0, 3) });
    expect(restore.requests).toBe(1);
    expect((await collect(bs.listProjectDatasets(project, { isArchived: false })))).toEqual([]);
    sim.advanceClock(3_600_000);
    expect((await collect(bs.listProjectDatasets(project, { isArchived: false }))).map((d) => d.id).sort()).toEqual(ids.slice(0, 3).sort());
  });

  it("moves datasets and runs to the trash, reports what could not move, and empties the trash", async () => {
    const bs = bsClientFor(sim);
    const q3 = fixtureProject("CoreRuns_2025_Q3").id;
    const datasets = await collect(bs.listProjectDatasets(q3));
    const available = datasets.filter((d) => !d.isArchived).slice(0, 2);
    const archived = datasets.find((d) => d.isArchived) as (typeof datasets)[number];
    const run = (await collect(bs.listRuns())).find((r) => !r.isArchived && r.status === "Complete") as { id: string };
    const before = (await listTrash(bs)).listed;
    expect(before.map((t) => t.kind)).toEqual(["dataset"]);

    // As the BaseSpace lifecycle moves items: one call each, side by side, each failing on its own.
    const targets: TrashTarget[] = [
      ...available.map((d) => ({ kind: "dataset" as const, id: d.id })),
      { kind: "dataset", id: archived.id },
      { kind: "run", id: run.id },
    ];
    const settled = await Promise.allSettled(targets.map((target) => deleteEndpointTrashMover(bs, target)));
    const outcome = {
      moved: targets.filter((_, i) => settled[i]?.status === "fulfilled"),
      failed: targets.flatMap((target, i) => {
        const result = settled[i];
        return result?.status === "rejected" ? [{ target, error: result.reason as unknown }] : [];
      }),
    };
    expect(outcome.moved.map((t) => t.id)).toEqual([...available.map((d) => d.id), run.id]);
    expect(outcome.failed.map((f) => f.target.id)).toEqual([archived.id]);
    expect(outcome.failed[0]?.error).toBeInstanceOf(BadRequestError);

    const trash = (await listTrash(bsClientFor(sim, { pageSize: 2 }))).listed;
    expect(trash.map((t) => t.itemId).sort()).toEqual([...before.map((t) => t.itemId), ...available.map((d) => d.id), run.id].sort());
    expect(trash.find((t) => t.itemId === run.id)?.kind).toBe("run");
    expect((await collect(bs.listProjectDatasets(q3))).map((d) => d.id)).not.toContain(available[0]?.id);

    await emptyTrash(bs);
    expect((await listTrash(bs)).listed).toEqual([]);
  });
});
