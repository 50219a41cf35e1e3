import { afterEach, describe, expect, it } from "vitest";
import type { CycleReport } from "../../src/orchestrator/index.js";
import type { SimTimings } from "../../src/simulator/context.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycle, cycleSettings, instantTimings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";
import { agesFixture, datasetId, referenceOf } from "./lifecycle-fixture.js";

const DAY_MS = 86_400_000;

/**
 * What a cycle did, as `<service> <action> <age>`: ICA folders by the age in their reference, BaseSpace
 * datasets by their age; emptying the trash as one entry.
 */
function acted(report: CycleReport, ages: readonly number[]): string[] {
  const byDataset = new Map(ages.map((age) => [datasetId(Math.round(age * 100)), age]));
  return report.actions
    .filter((a) => a.result === "ok")
    .flatMap((a) => {
      if (a.step === "icaLifecycle") return (a.paths ?? []).map((path) => `ica ${a.action} ${ageIn(path, ages)}`);
      return a.action === "empty-trash" ? ["bs empty-trash"] : a.ids.map((id) => `bs ${a.action} ${byDataset.get(id)}`);
    })
    .sort();
}

const ageIn = (text: string, ages: readonly number[]) => ages.find((age) => text.includes(referenceOf(age)));

describe("lifecycle windows (days_to_archive 60, days_to_delete 90)", () => {
  let sim: Simulator | undefined;
  let state: Awaited<ReturnType<typeof tempStateDir>> | undefined;
  afterEach(async () => {
    await sim?.stop();
    await state?.remove();
  });

  async function start(ages: readonly number[], opts: { archived?: boolean; timings?: Partial<SimTimings> } = {}) {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages, archived: opts.archived }), timings: opts.timings ?? instantTimings });
    state = await tempStateDir();
    return { sim, settings: cycleSettings(sim, state.dir, { basespaceRuns: "none" }) };
  }

  it("archives from 60 days on and deletes from 90 days on, to the millisecond", async () => {
    const ages = [59, 60, 61, 89, 90, 91];
    const { sim, settings } = await start(ages);
    const report = await cycle(sim, settings);
    expect(report.outcome).toBe("ok");
    expect(acted(report, ages)).toEqual(
      [
        "ica archive 60",
        "ica archive 61",
        "ica archive 89",
        "ica delete 90",
        "ica delete 91",
        "bs archive 60",
        "bs archive 61",
        "bs archive 89",
        "bs trash 90",
        "bs trash 91",
        // Only what this cycle trashed is in the trash, so `own-only` empties it.
        "bs empty-trash",
      ].sort(),
    );
    // 59 days is young: not even classified, so its folder is never read.
    const planned = report.plan.steps.flatMap((s) => s.items).map((i) => i.target.path ?? i.target.name ?? "");
    expect(planned.some((p) => p.includes(referenceOf(59)) || p === "D-59")).toBe(false);
  });

  it("archives in one cycle, looks again only past days_to_delete, then unarchives and deletes", async () => {
    const ages = [89.5];
    const { sim, settings } = await start(ages);
    expect(acted(await cycle(sim, settings), ages)).toEqual(["bs archive 89.5", "ica archive 89.5"]);

    sim.advanceClock(0.25 * DAY_MS);
    sim.resetStats();
    expect(acted(await cycle(sim, settings), ages)).toEqual([]);
    // The journal knows the folder is archived and short of 90 days: no read of it at all.
    expect(sim.stats().byRoute["GET /ica/rest/api/projects/{projectId}/data"]).toBeUndefined();

    sim.advanceClock(0.5 * DAY_MS);
    // Cheap path first: archived data is deleted and trashed as it is, which ICA and BaseSpace refuse here;
    // only that answer makes the next cycle pay for the unarchive and the restore.
    const asked = await cycle(sim, settings);
    expect(acted(asked, ages)).toEqual([]);
    expect(asked.actions.map((a) => `${a.action} ${a.result}`).sort()).toEqual(["delete failed", "trash failed"]);
    expect(acted(await cycle(sim, settings), ages)).toEqual(["bs restore 89.5", "ica unarchive 89.5"]);
    expect(acted(await cycle(sim, settings), ages)).toEqual(["bs empty-trash", "bs trash 89.5", "ica delete 89.5"]);

    sim.resetStats();
    const after = await cycle(sim, settings);
    expect(acted(after, ages)).toEqual([]);
    expect(sim.stats().byRoute["GET /ica/rest/api/projects/{projectId}/data"]).toBeUndefined();
    expect(sim.stats().mutating).toBe(0);
  });

  it("asks to unarchive or restore archived data once, however long that takes", async () => {
    const ages = [150];
    const { sim, settings } = await start(ages, {
      archived: true,
      timings: { ...instantTimings, icaUnarchiveMs: 2 * DAY_MS, bsRestoreMs: 2 * DAY_MS },
    });
    // The first cycle asks (a refused delete and trash move: see above), the second pays.
    expect(acted(await cycle(sim, settings), ages)).toEqual([]);
    expect(acted(await cycle(sim, settings), ages)).toEqual(["bs restore 150", "ica unarchive 150"]);
    for (let i = 0; i < 3; i += 1) {
      sim.advanceClock(DAY_MS / 3);
      const waiting = await cycle(sim, settings);
      expect(acted(waiting, ages)).toEqual([]);
      expect(waiting.plan.steps.flatMap((s) => s.items).map((item) => item.action)).toEqual(["wait", "wait"]);
    }
    sim.advanceClock(2 * DAY_MS);
    expect(acted(await cycle(sim, settings), ages)).toEqual(["bs empty-trash", "bs trash 150", "ica delete 150"]);
  });

  it("holds to the deletion cap across ICA and BaseSpace, oldest first, and to the protect list", async () => {
    const ages = [95, 100, 105];
    const { sim, settings } = await start(ages);
    const report = await cycle(sim, { ...settings, deleteCap: 2, protect: ["D-105"] });
    // ICA spends the cap on its two oldest folders; BaseSpace has none left; D-105 is protected anyway.
    expect(acted(report, ages)).toEqual(["ica delete 100", "ica delete 105"]);
    const items = report.plan.steps.flatMap((s) => s.items);
    const label = (path?: string, name?: string) => (path ? `folder ${ageIn(path, ages)}` : name);
    expect(items.filter((i) => i.action === "skip-cap").map((i) => label(i.target.path, i.target.name)).sort()).toEqual([
      "D-100",
      "D-95",
      "folder 95",
    ]);
    expect(items.find((i) => i.target.name === "D-105")?.action).toBe("skip-protected");
    expect(report.warnings.some((w) => w.includes("delete cap of 2"))).toBe(true);
  });
});
