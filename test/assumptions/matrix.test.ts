// Issue 15's matrix: the same small fixture, several cycles with the clock moved past the windows, under
// each alternative reading of every ledger entry the simulator can play, one at a time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CycleReport } from "../../src/orchestrator/index.js";
import { assumptionIds, assumptionSwitches, type AssumptionId } from "../../src/simulator/assumption-switches.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycle, cycleSettings, startCycleSimulator, tempStateDir } from "../orchestrator/cycle-harness.js";
import { agesFixture, analysisId, datasetId, referenceOf } from "../orchestrator/lifecycle-fixture.js";

const DAY_MS = 86_400_000;
/** 20: young throughout; 80: archived, then past days_to_delete; 95: deleted at once; 120: protected. */
const ages = [20, 80, 95, 120] as const;
const CYCLES = 4;
const STEP_DAYS = 5;

const idsOf = (age: number) => [analysisId(Math.round(age * 100)), datasetId(Math.round(age * 100)), referenceOf(age), `D-${age}`];
const untouchable = [20, 120].flatMap(idsOf);
const billed = new Set(["archive", "unarchive", "restore"]);
const completing = new Set(["delete", "trash"]);

interface World {
  reports: CycleReport[];
  /** Mutating requests of each cycle, as `METHOD path`. */
  mutations: string[][];
}

async function runWorld(sim: Simulator, assume: Partial<Record<AssumptionId, string>>): Promise<World> {
  sim.reset();
  sim.setAssumptions(assume);
  const state = await tempStateDir();
  try {
    const settings = cycleSettings(sim, state.dir, { basespaceRuns: "none", protect: [referenceOf(120), "D-120"] });
    const world: World = { reports: [], mutations: [] };
    for (let i = 0; i < CYCLES; i++) {
      const since = sim.requests().lastSeq;
      world.reports.push(await cycle(sim, settings));
      world.mutations.push(
        sim
          .requests(since + 1)
          .requests.filter((r) => r.method !== "GET" && r.method !== "HEAD" && !(r.route ?? "").endsWith(":search") && !(r.route ?? "").includes(":create"))
          .map((r) => `${r.method} ${r.path}`),
      );
      sim.advanceClock(STEP_DAYS * DAY_MS);
    }
    return world;
  } finally {
    await state.remove();
  }
}

function assertSafe(world: World, label: string): void {
  const actions = world.reports.flatMap((r) => r.actions);
  for (const action of actions) {
    const named = [...action.ids, ...(action.paths ?? [])].join(" ");
    for (const key of untouchable) expect(named, `${label}: ${action.action} touched ${key}`).not.toContain(key);
  }
  // At most one billed action on an item that is then never completed (deleted or trashed).
  const spent = new Map<string, number>();
  const done = new Set<string>();
  for (const action of actions) {
    for (const id of action.ids) {
      if (billed.has(action.action)) spent.set(id, (spent.get(id) ?? 0) + 1);
      if (completing.has(action.action) && action.result === "ok") done.add(id);
    }
  }
  for (const [id, count] of spent) if (!done.has(id)) expect(count, `${label}: billed actions on ${id}`).toBeLessThanOrEqual(1);
  // No loop: no mutating request is repeated in every cycle.
  const [first, ...rest] = world.mutations;
  const everyCycle = (first ?? []).filter((request) => rest.every((cycleRequests) => cycleRequests.includes(request)));
  expect(everyCycle, `${label}: the same request every cycle`).toEqual([]);
}

const alternatives = assumptionIds.flatMap((id) =>
  Object.keys(assumptionSwitches[id].alternatives)
    .slice(1)
    .map((alternative) => ({ id, alternative })),
);

describe("safe in every world", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [...ages] }) });
  });
  afterAll(() => sim.stop());

  it("under the defaults: archives, deletes and trashes what is due, touches nothing else, no loop", async () => {
    const world = await runWorld(sim, {});
    assertSafe(world, "defaults");
    const done = world.reports.flatMap((r) => r.actions).filter((a) => a.result === "ok").map((a) => a.action);
    expect(done).toEqual(expect.arrayContaining(["archive", "delete", "trash", "unarchive", "restore"]));
  });

  it.each(alternatives)("under $id=$alternative", async ({ id, alternative }) => {
    assertSafe(await runWorld(sim, { [id]: alternative }), `${id}=${alternative}`);
  });

  it("names the contradicted assumption: ICA folders that stay AVAILABLE are judged by their files", async () => {
    const world = await runWorld(sim, { "ica.folder-status": "stays-available" });
    const warnings = world.reports.flatMap((r) => [...r.warnings, ...r.steps.flatMap((s) => s.warnings ?? [])]);
    expect(warnings.join("\n")).toContain("assumption ica.folder-status contradicted");
    const icaDone = world.reports.flatMap((r) => r.actions).filter((a) => a.step === "icaLifecycle" && a.result === "ok");
    expect(icaDone.map((a) => a.action)).toEqual(expect.arrayContaining(["archive", "unarchive", "delete"]));
  });

  it("names the contradicted assumption: a folder missing from a listing by several ids is read on its own, not taken as deleted", async () => {
    const world = await runWorld(sim, { "ica.multi-value-query": "last-only" });
    const warnings = world.reports.flatMap((r) => [...r.warnings, ...r.steps.flatMap((s) => s.warnings ?? [])]);
    expect(warnings.join("\n")).toContain("assumption ica.multi-value-query contradicted");
    // Marker files are looked for with filename=a&filename=b too: unclassified analyses are left alone.
    expect(world.reports.flatMap((r) => r.actions)).toEqual([]);
  });
});

describe("BaseSpace listings that ignore sortby=DateCreated", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [20, 70, 95] }) });
  });
  afterAll(() => sim.stop());

  it("are read to the end with the contradiction named, so no aged dataset is skipped", async () => {
    const world = await runWorld(sim, { "bs.sort-date-created": "ignored" });
    const first = world.reports[0];
    expect(first?.warnings.join("\n")).toContain("assumption bs.sort-date-created contradicted");
    const acted = first?.actions.filter((a) => a.step === "basespaceLifecycle" && a.result === "ok").flatMap((a) => a.ids) ?? [];
    expect(acted).toEqual(expect.arrayContaining([datasetId(7000), datasetId(9500)]));
  });
});

describe("BaseSpace: a contradicted trash endpoint stops trash moves and the restores bought for them", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [80, 95] }) });
  });
  afterAll(() => sim.stop());

  it("one trash move answers 405: no later trash move, no restore, the contradiction named with the ack to lift it", async () => {
    const world = await runWorld(sim, { "bs.trash-endpoint": "absent" });
    const actions = world.reports.flatMap((r) => r.actions).filter((a) => a.step === "basespaceLifecycle");
    expect(actions.filter((a) => a.action === "restore")).toEqual([]);
    expect(actions.filter((a) => a.action === "trash")).toHaveLength(1);
    const reasons = world.reports.at(-1)?.plan.steps.flatMap((s) => s.items).map((i) => i.reason) ?? [];
    expect(reasons.join("\n")).toContain("assumption bs.trash-endpoint contradicted");
    expect(reasons.join("\n")).toContain("ica-orchestrator ack bs.trash-endpoint");
    // Delivery and the ICA lifecycle go on.
    expect(world.reports.flatMap((r) => r.actions).filter((a) => a.step === "icaLifecycle" && a.result === "ok").length).toBeGreaterThan(0);
  });
});
