// A folder held for delivery waits whatever it says, so a steady cycle does not read it: before this,
// every delivered aged folder was read again every cycle for min_days_after_delivery (bench lab-year-steady).
import { afterEach, describe, expect, it } from "vitest";
import type { CycleReport } from "../../src/orchestrator/index.js";
import { cycle, cycleSettings, simCalls, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

const DAY_MS = 86_400_000;

const lifecycle = (report: CycleReport) => report.steps.find((s) => s.name === "icaLifecycle");
const icaActions = (report: CycleReport) => report.actions.filter((a) => a.step === "icaLifecycle" && a.result === "ok").map((a) => a.action);
const dataReads = (byRoute: Record<string, number>) => byRoute["GET /ica/rest/api/projects/{projectId}/data"] ?? 0;

describe("ICA folders held for delivery", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("are not read while the hold lasts, and are read and archived once it ends", async () => {
    const sim = await startCycleSimulator();
    const state = await tempStateDir();
    cleanups.push(() => sim.stop(), () => state.remove());
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 7 });

    await cycle(sim, settings);
    sim.advanceClock(600_000);
    sim.resetStats();
    const held = await cycle(sim, settings);
    // Nothing new and nothing the ICA lifecycle could act on: no data listing at all.
    expect(dataReads(simCalls(sim).byRoute)).toBe(0);
    const unread = lifecycle(held)?.counts.heldUnread ?? 0;
    expect(unread).toBeGreaterThan(0);
    expect(lifecycle(held)?.counts["planned wait"]).toBeGreaterThanOrEqual(unread);
    expect(held.plan.steps.find((s) => s.step === "icaLifecycle")?.items.filter((i) => /kept until .* \(min_days_after_delivery 7\)$/.test(i.reason))).toHaveLength(unread);
    expect(icaActions(held)).toEqual([]);

    sim.advanceClock(8 * DAY_MS);
    const after = await cycle(sim, settings);
    expect(lifecycle(after)?.counts.heldUnread).toBeUndefined();
    expect(icaActions(after)).toContain("archive");
  });
});
