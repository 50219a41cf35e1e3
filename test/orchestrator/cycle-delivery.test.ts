import { describe, expect, it } from "vitest";
import type { ListingFacts } from "../../src/modules/monitor/index.js";
import { acquireStateLock, readManagedTable } from "../../src/state/index.js";
import { cycle, cycleAt, cycleSettings, simulatorPerTest } from "./cycle-harness.js";

const fresh = simulatorPerTest();

const deliveryCycle = (settings: ReturnType<typeof cycleSettings>, onListed?: (facts: ListingFacts) => void) =>
  cycleAt(() => new Date(fresh.sim().clock.now()), settings, undefined, undefined, { kind: "delivery", ...(onListed ? { onListed } : {}) });

/** A full cycle delivers the fixture; then a new run like its first delivered analysis succeeds. */
async function newAnalysisAfterFullCycle(settings: ReturnType<typeof cycleSettings>): Promise<{ id: string; endsAtMs: number }> {
  const sim = fresh.sim();
  expect((await cycle(sim, settings)).outcome).toBe("ok");
  const delivered = (await readManagedTable(settings.managedTablePath)).rows[0]?.analysisId ?? "";
  const finished = sim.finishAnalysis({ analysisId: delivered, endInMs: 0 });
  sim.resetStats();
  return finished;
}

describe("a delivery cycle (the fast path of watch)", () => {
  it("delivers a new analysis with resolve, listing, manageNew and record only: no BaseSpace, no archive, no delete", async () => {
    const sim = fresh.sim();
    const settings = cycleSettings(sim, fresh.stateDir(), { daysToArchive: 1, daysToDelete: 2 });
    const { id, endsAtMs } = await newAnalysisAfterFullCycle(settings);
    let facts: ListingFacts | undefined;
    const report = await deliveryCycle(settings, (listed) => (facts = listed));

    expect(report.outcome).toBe("ok");
    expect(report.kind).toBe("delivery");
    expect(report.steps.map((s) => s.name)).toEqual(["resolve", "checkClock", "listAnalyses", "manageNew", "record"]);
    expect((await readManagedTable(settings.managedTablePath)).rows.map((r) => r.analysisId)).toContain(id);
    const routes = Object.keys(sim.stats().byRoute);
    expect(routes.filter((route) => /\/v1pre3\/|\/v2\/|:archive|:delete|:unarchive|trash/.test(route))).toEqual([]);
    expect(report.actions.map((a) => a.action).filter((action) => /archive|delete|trash|restore|requeue/.test(action))).toEqual([]);
    expect(report.actions.filter((a) => a.action === "create-manifest").flatMap((a) => a.ids)).toEqual([id]);
    expect(report.storage).toBeUndefined();
    // What the poll compares with: the new analysis has ended, nothing BCLConvert ended after it.
    expect(facts?.lastEndedMs).toBe(endsAtMs);
    expect(facts?.sourceProjectId).toBe(report.source.id);
  });

  it("never overlaps another cycle: with the state lock held it skips without a call; two at once deliver the analysis once", async () => {
    const sim = fresh.sim();
    const settings = cycleSettings(sim, fresh.stateDir());
    const { id } = await newAnalysisAfterFullCycle(settings);
    const lock = await acquireStateLock(fresh.stateDir());
    expect((await deliveryCycle(settings)).outcome).toBe("skipped-locked");
    expect(sim.stats().total).toBe(0);
    await lock.release();

    const reports = await Promise.all([deliveryCycle(settings), deliveryCycle(settings), cycle(sim, settings)]);
    expect(reports.map((r) => r.outcome).filter((o) => o === "ok")).toHaveLength(1);
    const rows = (await readManagedTable(settings.managedTablePath)).rows.filter((r) => r.analysisId === id);
    expect(rows).toHaveLength(1);
    const uploads = reports.flatMap((r) => r.actions).filter((a) => a.action === "create-manifest" && a.ids.includes(id));
    expect(uploads).toHaveLength(1);
  });
});
