import { describe, expect, it } from "vitest";
import type { IcaAnalysis } from "../../src/ica/schemas.js";
import { lifecycleWindows } from "../../src/orchestrator/plan/age.js";
import { deletionBudget } from "../../src/orchestrator/plan/cap.js";
import {
  actionEffect,
  archiveLossWarning,
  archiveSavingPerTb,
  breakEvenDays,
  monthlyStorageCost,
  type IcreditRates,
  type LifecycleCost,
} from "../../src/orchestrator/plan/cost.js";
import { planIcaLifecycle, type IcaManagedAnalysis } from "../../src/orchestrator/plan/plan-ica-lifecycle.js";
import { planTotals } from "../../src/orchestrator/plan/plan-totals.js";
import { createPlan } from "../../src/orchestrator/plan/render-plan.js";
import { emptyProtectList } from "../../src/orchestrator/plan/protect.js";
import { basespaceStorage, storageReport, storageUnderManagement } from "../../src/orchestrator/storage-managed.js";

/** Illumina's published prices, the settings' defaults. */
const rates: IcreditRates = { standardTbMonth: 22.5, archiveTbMonth: 2, archivePerTb: 20, restorePerTb: 30 };
const TB = 1e12;

describe("orchestrator/plan/cost", () => {
  it("prices each action on its size: archive and restore once, storage per month", () => {
    expect(actionEffect("archive", 2 * TB, rates)).toEqual({ once: 40, perMonth: -41 });
    expect(actionEffect("unarchive", 2 * TB, rates)).toEqual({ once: 60, perMonth: 41 });
    expect(actionEffect("restore", TB, rates)).toEqual({ once: 30, perMonth: 20.5 });
    expect(actionEffect("delete", TB, rates)).toEqual({ once: 0, perMonth: -22.5 });
    expect(actionEffect("trash", 0.5 * TB, rates)).toEqual({ once: 0, perMonth: -11.25 });
    expect(actionEffect("link", TB, rates)).toBeUndefined();
    expect(actionEffect("wait", TB, rates)).toBeUndefined();
  });

  it("archiving 30 days before deletion saves 0.5 per TB, and the restore needed to delete makes it a loss of 29.5", () => {
    expect(archiveSavingPerTb(30, { ...rates, restorePerTb: 0 })).toBe(0.5);
    expect(archiveSavingPerTb(30, rates)).toBe(-29.5);
    // (20 + 30) / 20.5 months = 2.44 months: 74 days archived pays for itself, 73 does not.
    expect(breakEvenDays(rates)).toBe(74);
    expect(archiveSavingPerTb(74, rates)).toBeGreaterThanOrEqual(0);
    expect(archiveSavingPerTb(73, rates)).toBeLessThan(0);
    expect(breakEvenDays({ ...rates, archiveTbMonth: 22.5 })).toBeNull();
  });

  it("says when the windows make archiving cost more than it saves, with the numbers and the ways out", () => {
    const warning = archiveLossWarning(lifecycleWindows(60, 90), rates);
    expect(warning).toBe(
      "archiving at 60 days and deleting at 90 costs 29.5 iCredits per TB more than it saves (1.0 month(s) archived save 20.5; " +
        "moving to archive costs 20 and the restore before deletion 30); archiving pays off only for data archived at least 74 days: " +
        "set days_to_delete ≥ 134, days_to_archive off, or --archive_policy cost-aware",
    );
    expect(archiveLossWarning(lifecycleWindows(30, 365), rates)).toBeNull();
    expect(archiveLossWarning(lifecycleWindows(null, 90), rates)).toBeNull();
  });

  it("gives the monthly bill of storage by class", () => {
    expect(monthlyStorageCost({ standardBytes: 2 * TB, archivedBytes: 10 * TB }, rates)).toBe(65);
    expect(storageReport({ standardBytes: 1.5 * TB, archivedBytes: 0.25 * TB }, rates)).toEqual({
      standardTB: 1.5,
      archivedTB: 0.25,
      estimatedMonthlyIcredits: 34.25,
    });
  });
});

describe("archive_policy in the lifecycle plan", () => {
  const folder = (id: string, ageDays: number): IcaManagedAnalysis => ({
    analysisId: `an-${id}`,
    reference: `ref-${id}`,
    ageDays,
    outputFolder: { id: `fol.${id}`, path: `/ilmn-analyses/ref-${id}/`, status: "AVAILABLE", sizeBytes: TB },
  });
  const plan = (cost: LifecycleCost, windows = lifecycleWindows(60, 150)) =>
    planIcaLifecycle({
      analyses: [folder("early", 61), folder("late", 100), folder("old", 151)],
      windows,
      unarchiveRequested: new Set(),
      budget: deletionBudget(10),
      protect: emptyProtectList,
      cost,
    });

  it("standard archives in the window and prices every item", () => {
    const items = plan({ rates, policy: "standard" }).items;
    expect(items.map((i) => `${i.action} ${i.target.id}`)).toEqual(["delete fol.old", "archive fol.late", "archive fol.early"]);
    expect(items.find((i) => i.target.id === "fol.late")?.icredits).toEqual({ once: 20, perMonth: -20.5 });
    expect(items.find((i) => i.target.id === "fol.old")?.icredits).toEqual({ once: 0, perMonth: -22.5 });
    expect(planTotals(createPlan(new Date(0), [{ step: "icaLifecycle", items, warnings: [] }])).icredits).toEqual({ once: 40, perMonth: -63.5 });
  });

  it("cost-aware leaves alone the archives deleted too soon to pay off, and says why", () => {
    const items = plan({ rates, policy: "cost-aware" }).items;
    // 89 days left pays off (≥ 74); 50 days left does not.
    expect(items.map((i) => `${i.action} ${i.target.id}`)).toEqual(["delete fol.old", "skip-cost fol.late", "archive fol.early"]);
    const skipped = items.find((i) => i.target.id === "fol.late");
    expect(skipped?.reason).toBe("age 100.0 d; cost-aware: deleted in 50.0 d, archiving would lose 15.83 iCredits per TB (pays off after 74 days archived); would archive");
    expect(skipped?.icredits).toBeUndefined();
  });
});

describe("storage under management", () => {
  const analysis = (id: string) => ({ id }) as IcaAnalysis;
  it("counts ICA folders of known size by the journal's last status, skips deleted and BaseSpace-managed ones, adds BaseSpace", () => {
    const storage = storageUnderManagement(
      [analysis("a"), analysis("b"), analysis("c"), analysis("d"), analysis("e")],
      {
        outputBytes: { a: 3 * TB, b: 2 * TB, c: TB, d: TB },
        classifications: {
          b: { kind: "ica", basespaceProjects: [], outputStatus: { status: "ARCHIVED", since: "2025-01-01T00:00:00Z" }, classifiedAt: "2025-01-01T00:00:00Z" },
          c: { kind: "ica", basespaceProjects: [], outputStatus: { status: "DELETED", since: "2025-01-01T00:00:00Z" }, classifiedAt: "2025-01-01T00:00:00Z" },
          d: { kind: "bssh", basespaceProjects: ["P"], classifiedAt: "2025-01-01T00:00:00Z" },
        },
      },
      basespaceStorage([
        { sizeBytes: TB, isArchived: false },
        { sizeBytes: 4 * TB, isArchived: true },
        { sizeBytes: null, isArchived: false },
      ]),
    );
    expect(storage).toEqual({ standardBytes: 4 * TB, archivedBytes: 6 * TB });
  });
});
