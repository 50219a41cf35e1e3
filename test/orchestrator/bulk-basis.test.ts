// The read right before a BaseSpace bulk archive or restore, against the simulator: what it keeps, what it
// leaves out and why, and what it costs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BaseSpaceClient } from "../../src/basespace/client.js";
import { ageInDays } from "../../src/orchestrator/plan/age.js";
import type { BasespaceItem } from "../../src/orchestrator/plan/plan-basespace-lifecycle.js";
import { rereadBulkBasis } from "../../src/orchestrator/steps/basespace/bulk-basis.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { bsClientFor, startTestSimulator } from "../http/sim-harness.js";

const projectId = "555000555";
const dsId = (i: number) => `ds.${(0xb0000 + i).toString(16).padStart(32, "0")}`;
const runId = (i: number) => `${9_000_000 + i}`;

/** One project of six datasets (the last two archived) and three runs of this test, beside the demo. */
function fixture(): Fixture {
  const f = namedFixture("demo");
  const ownerId = f.basespace.users[0]?.id as string;
  f.basespace.projects.push({ id: projectId, name: "Bulk_Basis", ownerId, createdDaysAgo: 900 });
  for (let i = 0; i < 6; i++) {
    f.basespace.datasets.push({ id: dsId(i), projectId, name: `BB-${i}`, createdDaysAgo: 800 - i, sizeBytes: 10, isArchived: i >= 4 });
  }
  for (let i = 0; i < 3; i++) {
    f.basespace.runs.push({ id: runId(i), name: `RUN-${i}`, experimentName: `EXP-${i}`, ownerId, createdDaysAgo: 800 - i, sizeBytes: 10, status: "Complete", isArchived: false });
  }
  return f;
}

let sim: Simulator;
let bs: BaseSpaceClient;
beforeAll(async () => {
  sim = await startTestSimulator({ fixture: fixture(), timings: { bsRestoreMs: 1_000 } });
  bs = bsClientFor(sim);
});
beforeEach(() => sim.reset());
afterAll(() => sim.stop());

// The cycle's one "now": ages are compared as the plan computed them.
let at: Date;
beforeEach(() => {
  at = new Date(sim.clock.now());
});

/** The items as the lifecycle's listing would hand them to the plan. */
async function listed(): Promise<Map<string, BasespaceItem>> {
  const items = new Map<string, BasespaceItem>();
  for await (const d of bs.listDatasets()) {
    const project = d.projectId as string;
    items.set(d.id, { kind: "dataset", id: d.id, name: d.name, projectId: project, projectName: project, ownerId: d.ownerId, ageDays: ageInDays(d.createdAtMs, at), isArchived: d.isArchived });
  }
  for await (const r of bs.listRuns()) {
    items.set(r.id, { kind: "run", id: r.id, name: r.name, status: r.status, ownerId: r.ownerId, ageDays: ageInDays(r.createdAtMs, at), isArchived: r.isArchived });
  }
  return items;
}

const pick = (items: Map<string, BasespaceItem>, ids: string[]) => ids.map((id) => items.get(id) as BasespaceItem);
const calls = () => sim.stats().byRoute;

describe("rereadBulkBasis", () => {
  it("keeps items nobody touched, reading one listing page per project and one of runs, none by id", async () => {
    const items = pick(await listed(), [dsId(0), dsId(1), runId(0), runId(1)]);
    sim.resetStats();

    const basis = await rereadBulkBasis(bs, items, at);

    expect(basis).toEqual({ keep: items, dropped: [] });
    expect(calls()["GET /v2/projects/{id}/datasets"]).toBe(1);
    expect(calls()["GET /v2/runs"]).toBe(1);
    expect(calls()["GET /v2/datasets/{id}"] ?? 0).toBe(0);
  });

  it("reads datasets of several projects with one listing across them", async () => {
    const items = await listed();
    const demoDataset = [...items.values()].find((item) => item.kind === "dataset" && item.projectId !== projectId && !item.isArchived) as BasespaceItem;
    const wanted = [...pick(items, [dsId(0)]), demoDataset];
    sim.resetStats();

    expect(await rereadBulkBasis(bs, wanted, at)).toEqual({ keep: wanted, dropped: [] });
    expect(calls()["GET /v2/datasets"]).toBe(1);
    expect(calls()["GET /v2/projects/{id}/datasets"] ?? 0).toBe(0);
  });

  it("leaves out what a person trashed, archived or purged since the listing, each with why, and reads only those by id", async () => {
    const items = pick(await listed(), [dsId(0), dsId(1), dsId(2), dsId(3), runId(0), runId(1)]);
    await bs.deleteItem("dataset", dsId(3));
    await bs.emptyTrash();
    await bs.deleteItem("dataset", dsId(1));
    await bs.bulk("archive", { datasetIds: [dsId(2)], runIds: [runId(1)] });
    sim.resetStats();

    const basis = await rereadBulkBasis(bs, items, at);

    expect(basis.keep.map((item) => item.id)).toEqual([dsId(0), runId(0)]);
    expect(basis.dropped.map(({ item, why }) => [item.name, why])).toEqual([
      ["BB-1", "someone moved it to the trash"],
      ["BB-2", "someone archived it since the listing"],
      ["BB-3", "it is gone (purged by someone)"],
      ["RUN-1", "someone archived it since the listing"],
    ]);
    // The run was seen in the listing; the three datasets it no longer shows were read by id.
    expect(calls()["GET /v2/datasets/{id}"]).toBe(3);
    expect(calls()["GET /v2/runs/{id}"] ?? 0).toBe(0);
  });

  it("before a restore, leaves out an item that is no longer archived", async () => {
    const items = pick(await listed(), [dsId(4), dsId(5)]);
    await bs.bulk("restore", { datasetIds: [dsId(5)] });
    sim.advanceClock(2_000);

    const basis = await rereadBulkBasis(bs, items, at);

    expect(basis.keep.map((item) => item.id)).toEqual([dsId(4)]);
    expect(basis.dropped.map(({ item, why }) => [item.name, why])).toEqual([["BB-5", "it is no longer archived (restored since the listing)"]]);
  });

  it("leaves out an item whose decision basis is not what the plan saw: another project, owner, date or run status", async () => {
    const items = await listed();
    // Listed in one of the demo's projects, read in this test's.
    const demoProject = sim.fixture.basespace.projects[0]?.id as string;
    const moved = { ...(items.get(dsId(0)) as BasespaceItem & { kind: "dataset" }), projectId: demoProject };
    const owner = { ...(items.get(dsId(1)) as BasespaceItem), ownerId: "someone-else" };
    const younger = { ...(items.get(runId(0)) as BasespaceItem), ageDays: 1 };
    const running = { ...(items.get(runId(1)) as BasespaceItem & { kind: "run" }), status: "Running" };

    const basis = await rereadBulkBasis(bs, [moved, owner, younger, running], at);

    expect(basis.keep).toEqual([]);
    expect(basis.dropped.map(({ why }) => why)).toEqual([
      `it moved to project ${projectId}`,
      `it is now owned by user ${sim.fixture.basespace.users[0]?.id}`,
      "its DateCreated changed since the listing",
      "its status is now Complete",
    ]);
  });

  it("throws when the read fails, so that nothing is sent", async () => {
    const items = pick(await listed(), [dsId(0)]);
    sim.setFaults({ rules: [{ route: "GET /v2/projects/{id}/datasets", rate: 1, kinds: ["500"] }] });

    await expect(rereadBulkBasis(bs, items, at)).rejects.toThrow(/500/);
  });
});
