import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycle, cycleSettings, simCalls, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

const unnamedDatasets = 2_100;
const manualTrash = 1_100;

/**
 * The demo plus more than the listings' first pages hold: an old project no analysis names, with
 * more aged datasets than two pages (the demo names two projects), and a trash that people filled
 * by hand beyond one page.
 */
function crowdedDemo(): Fixture {
  const f = namedFixture("demo");
  const owner = f.basespace.users[0]?.id as string;
  f.basespace.projects.push({ id: "888000888", name: "Archive_Of_Someone_Else", ownerId: owner, createdDaysAgo: 900 });
  for (let i = 0; i < unnamedDatasets; i++) {
    const hex = i.toString(16).padStart(32, "0");
    f.basespace.datasets.push({ id: `ds.${hex}`, projectId: "888000888", name: `OLD-${i}`, createdDaysAgo: 300 + i / 1000, sizeBytes: 1, isArchived: true });
  }
  for (let i = 0; i < manualTrash; i++) {
    const hex = (i + 0xf0000).toString(16).padStart(32, "0");
    f.basespace.trash.push({ trashId: hex, kind: "dataset", itemId: `ds.${hex}`, name: `HAND-${i}`, deletedDaysAgo: 20, sizeBytes: 1, deletedByUserId: owner });
  }
  return f;
}

describe("BaseSpace listings read no more pages than the decisions need", () => {
  let sim: Simulator;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: crowdedDemo() });
  });
  afterAll(() => sim.stop());
  afterEach(() => state.remove());

  it("falls back to per-project listings when all datasets take more pages, and stops the trash at the first foreign item", async () => {
    state = await tempStateDir();
    const report = await cycle(sim, cycleSettings(sim, state.dir));
    expect(report.outcome).toBe("ok");
    const calls = simCalls(sim).byRoute;
    // Two pages across projects (as many as named projects), then one page per named project; and right
    // before the bulk archive of datasets of both projects, their re-read: one page across projects, as
    // it asks for unarchived datasets only (isarchived=False), which leaves the archived OLD-* out.
    expect(calls["GET /v2/datasets"]).toBe(2 + 1);
    expect(calls["GET /v2/projects/{id}/datasets"]).toBe(2);
    const archivedProjects = report.actions
      .filter((a) => a.action === "archive" && a.result === "ok")
      .flatMap((a) => a.ids)
      .flatMap((id) => sim.fixture.basespace.datasets.find((d) => d.id === id)?.projectId ?? []);
    expect(new Set(archivedProjects).size).toBe(2);
    // The first page of the trash already shows items people put there: own-only will not empty it.
    expect(calls["GET /v2/trash"]).toBe(1);
    expect(report.warnings.some((w) => w.includes("at least") && w.includes("not put there by this tool"))).toBe(true);
    // Whose items are ours came with the token's scopes.
    expect(calls["GET /v2/users/current"]).toBeUndefined();

    // The same decisions as on the plain demo: nothing outside the named projects is touched.
    const trashed = report.actions.filter((a) => a.action === "trash" && a.result === "ok").flatMap((a) => a.ids);
    const names = new Map(sim.fixture.basespace.datasets.map((d) => [d.id, d.name]));
    expect(trashed.flatMap((id) => names.get(id) ?? []).sort()).toEqual(["HG002", "NA24143"]);
    expect(report.actions.filter((a) => a.action === "archive").flatMap((a) => a.ids).some((id) => names.get(id)?.startsWith("OLD-"))).toBe(false);
  });
});
