// Issue 15 item 5: each kind of irreversible action goes first on one item against an account, and at
// full rate only once a later cycle has read that item back as done.
import { afterEach, describe, expect, it } from "vitest";
import { LedgerState } from "../../src/assumptions/index.js";
import type { CanaryKind } from "../../src/assumptions/canaries.js";
import type { SettingsDraft } from "../../src/config/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import { statePaths } from "../../src/state/index.js";
import { bs } from "../simulator/basespace-fixture.js";
import { cycle, cycleSettings, startCycleSimulator, tempStateDir, testToken } from "./cycle-harness.js";

const HOUR_MS = 3_600_000;

/** Ids acted on successfully per `step action`. */
function done(report: CycleReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of report.actions) {
    if (a.result !== "ok" || (a.step !== "icaLifecycle" && a.step !== "basespaceLifecycle")) continue;
    const key = `${a.step === "icaLifecycle" ? "ica" : "bs"} ${a.action}`;
    counts[key] = (counts[key] ?? 0) + a.ids.length;
  }
  return counts;
}

const reasons = (report: CycleReport) => report.plan.steps.flatMap((s) => s.items).map((i) => `${i.action}: ${i.reason}`);
const warnings = (report: CycleReport) => [...report.warnings, ...report.steps.flatMap((s) => s.warnings ?? [])].join("\n");

/** A fresh demo simulator and state directory, with the canary on; stopped and removed after the test. */
async function demoAccount(stopAfter: Array<() => Promise<void>>) {
  const sim = await startCycleSimulator();
  const state = await tempStateDir();
  stopAfter.push(() => sim.stop(), () => state.remove());
  const root = statePaths(state.dir).root;
  return {
    sim,
    root,
    canary: async (kind: CanaryKind) => (await LedgerState.load(root)).canaries.of(kind),
    /** One cycle, then an hour on the simulator's clock. */
    run: async (overrides: Partial<SettingsDraft> = {}) => {
      const report = await cycle(sim, cycleSettings(sim, state.dir, { canary: "on", minDaysAfterDelivery: 0, ...overrides }));
      sim.advanceClock(HOUR_MS);
      return report;
    },
  };
}

describe("the canary on the demo fixture", () => {
  const stopAfter: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stopAfter.splice(0)) await stop();
  });

  it("a first cycle does one action of each kind and shows the rest held back; the next confirms them and runs at full rate", async () => {
    const { run, canary } = await demoAccount(stopAfter);
    const first = await run();
    // The first cycle delivers, so only BaseSpace data is retired in it: one archive, one trash move.
    expect(done(first)).toEqual({ "bs archive": 1, "bs trash": 1 });
    expect(reasons(first)).toContain("wait: canary: 1 of 5 bs-archive, rest after confirmation; would archive");
    expect(reasons(first).filter((r) => r === "wait: canary: 1 of 6 bs-trash, rest after confirmation; would trash")).toHaveLength(5);
    expect((await canary("bs-archive"))?.state).toBe("applied");

    const second = await run();
    expect((await canary("bs-archive"))).toMatchObject({ state: "confirmed", evidence: expect.stringContaining("read back IsArchived=true") });
    expect((await canary("bs-trash"))).toMatchObject({ state: "confirmed", evidence: expect.stringContaining("IsDeleted=true") });
    // Confirmed at the start of the cycle, so the rest go in it; ICA's first archive is its canary.
    expect(done(second)).toMatchObject({ "bs archive": 4, "bs trash": 4, "ica archive": 1 });
    expect(reasons(second).join("\n")).not.toContain("bs-archive, rest after confirmation");

    const third = await run();
    expect((await canary("ica-archive"))).toMatchObject({ state: "confirmed", evidence: expect.stringContaining("read back ARCHIVED") });
    // Each kind's first appearance is one item: ICA's delete, unarchive and BaseSpace's restore.
    expect(done(third)).toMatchObject({ "ica delete": 1, "ica unarchive": 1, "bs restore": 1 });
    expect(reasons(third)).toContain("wait: canary: 1 of 2 bs-restore, rest after confirmation; would restore");

    const fourth = await run();
    expect(await canary("bs-restore")).toMatchObject({ state: "confirmed" });
    expect(await canary("ica-delete")).toMatchObject({ state: "confirmed", evidence: expect.stringContaining("read back DELETED") });
    expect(done(fourth)).toMatchObject({ "bs restore": 1 });
  });

  it("a postcondition that fails stops that kind of action, names it, lets the others go on, and ack starts it over on one item", async () => {
    const { sim, root, run, canary } = await demoAccount(stopAfter);
    const neverEmpty = { emptyTrash: "never" } as const;
    await run(neverEmpty);
    const canaryItem = (await canary("bs-trash"))?.item.id ?? "";
    // Someone takes the canary's item back out of the trash before the next cycle reads it.
    const trash = await bs(sim, "GET", "/v2/trash", { token: testToken });
    const items = trash.body.Items as Array<{ Id: string; DeletedDataset?: { Id: string }; DeletedRun?: { Id: string } }>;
    const entry = items.find((e) => (e.DeletedDataset ?? e.DeletedRun)?.Id === canaryItem);
    expect((await bs(sim, "POST", `/v2/trash/${entry?.Id}/restorefromtrash`, { token: testToken, body: {} })).status).toBe(200);

    const second = await run(neverEmpty);
    expect(warnings(second)).toContain("canary of bs-trash contradicted");
    expect(await canary("bs-trash")).toMatchObject({ state: "contradicted", evidence: expect.stringContaining("IsDeleted=false after BaseSpace accepted the trash move") });
    expect(done(second)["bs trash"]).toBeUndefined();
    expect(reasons(second).join("\n")).toContain("stopped until `ica-orchestrator ack bs-trash`; would trash");
    // Other kinds go on.
    expect(done(second)["bs archive"]).toBe(4);

    const ledger = await LedgerState.load(root);
    expect(ledger.canaries.acknowledge("bs-trash")).toBe(true);
    await ledger.save(() => undefined);
    const third = await run(neverEmpty);
    // One trash move again (here the oldest, archived: the cheap path's question, refused), the rest wait.
    expect(third.actions.filter((a) => a.action === "trash")).toHaveLength(1);
    expect(reasons(third).join("\n")).toContain("canary: 1 of 5 bs-trash, rest after confirmation");
  });

  it("--canary off runs every kind at full rate from the first cycle and records no canary", async () => {
    const { run, canary } = await demoAccount(stopAfter);
    const first = await run({ canary: "off" });
    // The sixth trash move is the cheap path's question on archived data, refused: restored next cycle.
    expect(done(first)).toEqual({ "bs archive": 5, "bs trash": 5 });
    expect(first.steps.find((s) => s.name === "basespaceLifecycle")?.counts.trashRefusedArchived).toBe(1);
    expect(reasons(first).join("\n")).not.toContain("canary");
    expect(await canary("bs-trash")).toBeUndefined();
  });
});
