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

  it("prints a compact table per step with summaries, ages, human sizes and warnings", () => {
    const text = renderPlanTable(plan);
    expect(text).toBe(
      [
        "Plan at 2025-06-01T00:00:00.000Z",
        "",
        "manageNew: link 1 (1.2 GB)",
        "  ACTION  TARGET                                                            AGE  SIZE    REASON",
        "  link    20250601_LH00412_0001_A22XXXXXXX…clConvert_v4_1_23_patch1 [an-1]       1.2 GB  27 of 27 MGI FASTQ(s) not linked into the destination yet",
        "",
        "icaLifecycle: delete 2 (3.0 GB), wait 1",
        "  ACTION  TARGET                 AGE     SIZE    REASON",
        "  delete  /ilmn-analyses/ref-1/  91.2 d  2.0 GB  age 91.2 d; ≥ days_to_delete 90; AVAILABLE",
        "  delete  /ilmn-analyses/ref-2/  90.0 d  1.0 GB  r",
        "  wait    fol.3                  70.0 d          archiving in progress",
        "  ! ICA lifecycle: delete cap of 2 per cycle reached; 1 item(s) wait for the next cycle",
        "",
        "basespaceLifecycle: trash 1",
        "  ACTION  TARGET         AGE     SIZE  REASON",
        "  trash   sample [ds.1]  95.0 d        r",
        "",
      ].join("\n"),
    );
  });

  it("says so when a step has nothing to do, and serialises to JSON that parses back", () => {
    const empty = createPlan(new Date("2025-06-01T00:00:00Z"), [{ step: "icaLifecycle", items: [], warnings: [] }]);
    expect(renderPlanTable(empty)).toBe("Plan at 2025-06-01T00:00:00.000Z\n\nicaLifecycle: nothing to do\n");
    expect(JSON.parse(planToJson(plan))).toEqual(plan);
  });
});
