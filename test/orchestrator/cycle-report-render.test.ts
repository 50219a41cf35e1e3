import { describe, expect, it } from "vitest";
import { renderCycleReport, type CycleReport } from "../../src/orchestrator/cycle-report.js";
import { createPlan } from "../../src/orchestrator/plan/render-plan.js";
import { storedPlan } from "../../src/orchestrator/plan/stored-plan.js";

/** A finished cycle: only the plan and the storage matter here. */
const report = (extra: Partial<CycleReport> = {}): CycleReport => ({
  ...{ cycleId: "c-1", dryRun: false, outcome: "ok", durationMs: 5000 },
  ...{ startedAt: "2025-06-01T00:00:00.000Z", finishedAt: "2025-06-01T00:00:05.000Z" },
  ...{ source: { id: "p-src", name: "BSSH_Runs" }, destination: { id: "p-dst", name: "MGI_Delivery" } },
  plan: createPlan(new Date("2025-06-01T00:00:00Z"), [
    {
      step: "icaLifecycle",
      items: [
        { step: "icaLifecycle", action: "archive", target: { kind: "ica-folder", id: "fol.1" }, sizeBytes: 1e12, icredits: { once: 20, perMonth: -20.5 }, reason: "r" },
        { step: "icaLifecycle", action: "delete", target: { kind: "ica-folder", id: "fol.2" }, sizeBytes: 2e12, icredits: { once: 0, perMonth: -45 }, reason: "r" },
      ],
      warnings: [],
    },
  ]),
  steps: [],
  warnings: [],
  errors: [],
  actions: [],
  apiCalls: { total: 3, byRoute: {} },
  ...extra,
});

describe("orchestrator/cycle-report render", () => {
  it("gives the estimated iCredits of the planned actions and the storage under management", () => {
    const text = renderCycleReport(report({ storage: { standardTB: 1.5, archivedTB: 4, estimatedMonthlyIcredits: 41.75 } }));
    expect(text).toContain("  Estimated iCredits of the planned actions: +20.00 now, −65.50/month\n");
    expect(text).toContain("  Storage under management: 1.5 TB standard, 4 TB archived; est. 41.75 iCredits/month\n");
  });

  it("reads the same from the report on disk, whose plan is kept as counts and ids, as from the cycle's own", () => {
    const own = report();
    const onDisk = JSON.parse(JSON.stringify({ ...own, plan: storedPlan(own.plan) })) as CycleReport;
    expect(renderCycleReport(onDisk)).toBe(renderCycleReport(own));
  });

  it("leaves both lines out when there is nothing to price and no storage figure (an older report)", () => {
    const text = renderCycleReport(report({ plan: createPlan(new Date(0), []) }));
    expect(text).not.toContain("iCredits");
  });
});
