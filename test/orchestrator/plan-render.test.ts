import { describe, expect, it } from "vitest";
import { formatBytes, formatDays } from "../../src/orchestrator/plan/format.js";
import type { Plan } from "../../src/orchestrator/plan/plan-types.js";
import { createPlan, planToJson, renderPlanTable } from "../../src/orchestrator/plan/render-plan.js";

describe("orchestrator/plan/format", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [1_234_567_890, "1.2 GB"],
    [99_940_000_000, "99.9 GB"],
    [123_456_789_012, "123 GB"],
    [5e18, "5000 PB"],
    [-1, "?"],
  ])("formatBytes(%d) = %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("truncates days so an age under a boundary never prints as the boundary", () => {
    expect(formatDays(59.99999)).toBe("59.9 d");
    expect(formatDays(60)).toBe("60.0 d");
    expect(formatDays(0.04)).toBe("0.0 d");
  });
});

describe("orchestrator/plan/render-plan", () => {
  const plan: Plan = createPlan(new Date("2025-06-01T00:00:00Z"), [
    {
      step: "manageNew",
      items: [
        {
          step: "manageNew",
          action: "link",
          target: { kind: "analysis", id: "an-1", name: `20250601_LH00412_0001_A22XXXXXXX_${"x".repeat(40)}-BclConvert_v4_1_23_patch1` },
          analysisId: "an-1",
          sizeBytes: 1_234_567_890,
          reason: "27 of 27 MGI FASTQ(s) not linked into the destination yet",
        },
      ],
      warnings: [],
    },
    {
      step: "icaLifecycle",
      items: [
        { step: "icaLifecycle", action: "delete", target: { kind: "ica-folder", id: "fol.1", path: "/ilmn-analyses/ref-1/" }, ageDays: 91.25, sizeBytes: 2e9, reason: "age 91.2 d; ≥ days_to_delete 90; AVAILABLE" },
        { step: "icaLifecycle", action: "delete", target: { kind: "ica-folder", id: "fol.2", path: "/ilmn-analyses/ref-2/" }, ageDays: 90, sizeBytes: 1e9, reason: "r" },
        { step: "icaLifecycle", action: "wait", target: { kind: "ica-folder", id: "fol.3" }, ageDays: 70, reason: "archiving in progress" },
      ],
      warnings: ["ICA lifecycle: delete cap of 2 per cycle reached; 1 item(s) wait for the next cycle"],
    },
    { step: "basespaceLifecycle", items: [{ step: "basespaceLifecycle", action: "trash", target: { kind: "bs-dataset", id: "ds.1", name: "sample" }, ageDays: 95, reason: "r" }], warnings: [] },
  ]);

  it("prints a header of totals, then each step grouped by action with full ids, ages, human sizes and warnings", () => {
    const text = renderPlanTable(plan, { source: { id: "p-src", name: "BSSH_Runs" }, destination: { id: "p-dst", name: "MGI_Delivery" } });
    expect(text).toBe(
      [
        "Plan at 2025-06-01T00:00:00.000Z",
        "  BSSH_Runs (p-src) → MGI_Delivery (p-dst)",
        "  TOTAL   ITEMS  SIZE",
        "  link    1      1.2 GB",
        "  delete  2      3.0 GB",
        "  trash   1      0 B (+1 of unknown size)",
        "  estimated iCredits: 0.00 now, 0.00/month",
        "",
        "manageNew: link 1",
        "  link: 1 item(s), 1.2 GB",
        "    ID    NAME                                                      AGE  SIZE    ICREDITS  REASON",
        "    an-1  20250601_LH00412_0001_A22XXX…x-BclConvert_v4_1_23_patch1       1.2 GB            27 of 27 MGI FASTQ(s) not linked into the destination yet",
        "",
        "icaLifecycle: delete 2, wait 1",
        "  delete: 2 item(s), 3.0 GB",
        "    ID     NAME                   AGE     SIZE    ICREDITS  REASON",
        "    fol.1  /ilmn-analyses/ref-1/  91.2 d  2.0 GB            age 91.2 d; ≥ days_to_delete 90; AVAILABLE",
        "    fol.2  /ilmn-analyses/ref-2/  90.0 d  1.0 GB            r",
        "  wait: 1 item(s)",
        "    ID     NAME  AGE     SIZE  ICREDITS  REASON",
        "    fol.3        70.0 d                  archiving in progress",
        "  ! ICA lifecycle: delete cap of 2 per cycle reached; 1 item(s) wait for the next cycle",
        "",
        "basespaceLifecycle: trash 1",
        "  trash: 1 item(s)",
        "    ID    NAME    AGE     SIZE  ICREDITS  REASON",
        "    ds.1  sample  95.0 d                  r",
        "",
      ].join("\n"),
    );
  });

  it("shows the first few items of each action unless verbose, and a header with thresholds, prices, iCredits and the policy's verdict", () => {
    const rates = { standardTbMonth: 22.5, archiveTbMonth: 2, archivePerTb: 20, restorePerTb: 30 };
    const archives = Array.from({ length: 5 }, (_, i) => ({
      step: "icaLifecycle" as const,
      action: "archive" as const,
      target: { kind: "ica-folder" as const, id: `fol.${i}`, path: `/ilmn-analyses/ref-${i}/` },
      ageDays: 61,
      sizeBytes: 2e12,
      icredits: { once: 40, perMonth: -41 },
      reason: "r",
    }));
    const big = createPlan(new Date("2025-06-01T00:00:00Z"), [{ step: "icaLifecycle", items: archives, warnings: [] }], {
      daysToArchive: 60,
      daysToDelete: 90,
      minDaysAfterDelivery: 7,
      deleteCap: 500,
      archivePolicy: "standard",
      rates,
      archiveLoss: "archiving at 60 days and deleting at 90 costs 29.5 iCredits per TB more than it saves",
      asOf: true,
    });
    const text = renderPlanTable(big);
    expect(text).toContain("Plan as of 2025-06-01T00:00:00.000Z (ages computed at that date; nothing changed)");
    expect(text).toContain("  days_to_archive 60, days_to_delete 90, min_days_after_delivery 7, delete_cap 500, archive_policy standard");
    expect(text).toContain("  prices (iCredits): 22.5 per TB-month standard, 2 archived, 20 per TB to archive, 30 per TB to restore");
    expect(text).toContain("  ! archiving at 60 days and deleting at 90 costs 29.5 iCredits per TB more than it saves");
    expect(text).toContain("  archive  5      10.0 TB");
    expect(text).toContain("  estimated iCredits: +200.00 now, −205.00/month");
    expect(text).toContain("  archive: 5 item(s), 10.0 TB, est. +200.00 now, −205.00/month");
    expect(text).toContain("    fol.2  /ilmn-analyses/ref-2/  61.0 d  2.0 TB  +40.00 now, −41.00/month  r");
    expect(text).not.toContain("fol.3");
    expect(text).toContain("    … and 2 more (--verbose lists every item)");
    const verbose = renderPlanTable(big, { verbose: true });
    expect(verbose).toContain("fol.4");
    expect(verbose).not.toContain("more (--verbose");
  });

  it("says so when a step has nothing to do, and serialises to JSON that parses back", () => {
    const empty = createPlan(new Date("2025-06-01T00:00:00Z"), [{ step: "icaLifecycle", items: [], warnings: [] }]);
    expect(renderPlanTable(empty)).toBe("Plan at 2025-06-01T00:00:00.000Z\n  nothing to link, archive, restore, delete or trash\n\nicaLifecycle: nothing to do\n");
    expect(JSON.parse(planToJson(plan))).toEqual(plan);
  });
});
