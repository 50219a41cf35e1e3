import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWorldsInParallel } from "./parallel-world-checks.js";
import { worldArbitrary, type World } from "./random-world.js";
import { checkWorld, type WorldResult } from "./world-check.js";

const runs = 1_000;
const seed = 0x5afe_7e57;

/** Every kind of mutating request must have been judged in some worlds, or the properties proved nothing. */
const kindsToCover = [
  "ica archive",
  "ica unarchive",
  "ica delete",
  "ica dataLinkingBatch",
  "ica data:createFile",
  "basespace POST /v2/archive",
  "basespace POST /v2/restore",
  "basespace trash",
  "basespace DELETE /v2/trash",
];

describe("safety properties over random worlds", () => {
  it(`hold for ${runs} random fixtures and settings, each through a real cycle (a second one after a clock jump in about half)`, async () => {
    // The worlds fast-check will draw (the same seed gives the same sequence) are checked first on all
    // cores; fast-check then replays them from that cache, and only shrinking, if a world fails,
    // checks new worlds here.
    const worlds = fc.sample(worldArbitrary, { numRuns: runs, seed });
    const checked = await checkWorldsInParallel(worlds);
    const cache = new Map<string, WorldResult>(worlds.map((world, i) => [JSON.stringify(world), checked[i] as WorldResult]));
    let replayed = 0;
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (world: World) => {
        const known = cache.get(JSON.stringify(world));
        if (known) replayed += 1;
        expect((known ?? (await checkWorld(world))).violations).toEqual([]);
      }),
      { numRuns: runs, seed },
    );
    expect(replayed).toBe(runs);

    const coverage: Record<string, number> = {};
    for (const { kinds } of checked) for (const [kind, n] of Object.entries(kinds)) coverage[kind] = (coverage[kind] ?? 0) + n;
    for (const kind of kindsToCover) expect(coverage[kind] ?? 0, kind).toBeGreaterThanOrEqual(10);
    // People acted mid-cycle in enough worlds: a dataset trashed by hand, and one restored from the trash
    // (rarer: it succeeds only when the dataset the person picks is in the trash at that moment; and since
    // the cheap path tries archived data as it is, a refused trash move can set the person off before any
    // dataset is in the trash: 3 of these worlds under this seed, 5 before).
    expect(coverage["person trash"] ?? 0, "person trash").toBeGreaterThanOrEqual(10);
    expect(coverage["person restore"] ?? 0, "person restore").toBeGreaterThanOrEqual(3);
    expect(worlds.filter((w) => w.fault !== null).length).toBeGreaterThan(runs / 4);
    expect(worlds.filter((w) => w.settings.dryRun).length).toBeGreaterThan(runs / 10);
    expect(worlds.filter((w) => w.secondCycleAfterDays !== null).length).toBeGreaterThan(runs / 4);
  }, 300_000);
});
