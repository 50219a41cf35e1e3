import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lifecycleWindows } from "../../src/orchestrator/plan/age.js";
import { cappedActions, deletionBudget } from "../../src/orchestrator/plan/cap.js";
import { planIcaLifecycle, type IcaManagedAnalysis } from "../../src/orchestrator/plan/plan-ica-lifecycle.js";
import { isActing } from "../../src/orchestrator/plan/plan-types.js";
import { compileProtectList, emptyProtectList } from "../../src/orchestrator/plan/protect.js";
import { capArb, icaScenarioArb, windowsArb } from "./plan-arbitraries.js";

const windows = lifecycleWindows(60, 90);

function analysis(id: string, ageDays: number, status: string, extra: Partial<IcaManagedAnalysis> = {}): IcaManagedAnalysis {
  return {
    analysisId: `an-${id}`,
    reference: `ref-${id}`,
    ageDays,
    outputFolder: { id: `fol.${id}`, path: `/ilmn-analyses/ref-${id}/`, status, sizeBytes: 2_000_000_000 },
    ...extra,
  };
}

function plan(analyses: IcaManagedAnalysis[], opts: { requested?: string[]; cap?: number; protect?: string[] } = {}) {
  return planIcaLifecycle({
    analyses,
    windows,
    unarchiveRequested: new Set(opts.requested ?? []),
    budget: deletionBudget(opts.cap ?? 500),
    protect: opts.protect ? compileProtectList(opts.protect) : emptyProtectList,
  });
}

const actions = (p: ReturnType<typeof plan>) => p.items.map((i) => `${i.action} ${i.target.id}`);

describe("orchestrator/plan/ica-lifecycle", () => {
  it("plans by window and status at 59/60/61 and 89/90/91 days", () => {
    const p = plan([
      analysis("59", 59, "AVAILABLE"),
      analysis("60", 60, "AVAILABLE"),
      analysis("61", 61, "ARCHIVED"),
      analysis("89", 89.99999, "AVAILABLE"),
      analysis("90", 90, "AVAILABLE"),
      analysis("91", 91, "ARCHIVED"),
    ]);
    expect(actions(p)).toEqual(["unarchive fol.91", "delete fol.90", "archive fol.89", "archive fol.60"]);
    expect(p.items[0]).toMatchObject({
      step: "icaLifecycle",
      analysisId: "an-91",
      ageDays: 91,
      sizeBytes: 2_000_000_000,
      target: { kind: "ica-folder", path: "/ilmn-analyses/ref-91/" },
    });
    expect(p.items[0]?.reason).toMatch(/unarchive now, delete in a later cycle/);
    expect(p.warnings).toEqual([]);
    expect(p.budget).toEqual({ cap: 500, remaining: 498 });
  });

  it("leaves a held folder alone whatever its age, saying why", () => {
    const p = plan([
      analysis("a", 61, "AVAILABLE", { hold: "its FASTQs are not delivered yet" }),
      analysis("b", 95, "AVAILABLE", { hold: "its FASTQs are not delivered yet" }),
      analysis("c", 30, "AVAILABLE", { hold: "its FASTQs are not delivered yet" }),
    ]);
    expect(actions(p)).toEqual(["wait fol.b", "wait fol.a"]);
    expect(p.items[0]?.reason).toMatch(/its FASTQs are not delivered yet/);
    expect(p.budget.remaining).toBe(500);
  });

  it("deletes once AVAILABLE after a requested unarchive and never asks to unarchive twice", () => {
    const first = plan([analysis("a", 100, "ARCHIVED")]);
    expect(actions(first)).toEqual(["unarchive fol.a"]);
    const stillArchived = plan([analysis("a", 101, "ARCHIVED")], { requested: ["fol.a"] });
    expect(stillArchived.items.map((i) => [i.action, i.reason])).toEqual([
      ["wait", "age 101.0 d; restore requested in an earlier cycle; still archived"],
    ]);
    const unarchiving = plan([analysis("a", 101, "UNARCHIVING")], { requested: ["fol.a"] });
    expect(actions(unarchiving)).toEqual(["wait fol.a"]);
    const available = plan([analysis("a", 102, "AVAILABLE")], { requested: ["fol.a"] });
    expect(actions(available)).toEqual(["delete fol.a"]);
    expect(available.items[0]?.reason).toMatch(/unarchive done \(AVAILABLE\)/);
  });

  it("waits on transitions and incomplete folders, and touches unknown statuses nowhere", () => {
    const p = plan([
      analysis("archiving", 70, "ARCHIVING"),
      analysis("deleting", 95, "DELETING"),
      analysis("partial", 95, "PARTIAL"),
      analysis("new", 95, "FROZEN"),
      analysis("archived-young", 70, "ARCHIVED"),
    ]);
    expect(p.items.map((i) => i.action)).toEqual(["wait", "wait", "wait", "wait"]);
    expect(p.items.map((i) => i.reason).join("\n")).toMatch(/unknown data status 'FROZEN'/);
  });

  it("archives nothing when archiving is off, and deletes from days_to_delete on", () => {
    const p = planIcaLifecycle({
      analyses: [analysis("70", 70, "AVAILABLE"), analysis("90", 90, "AVAILABLE")],
      windows: lifecycleWindows(null, 90),
      unarchiveRequested: new Set(),
      budget: deletionBudget(10),
      protect: emptyProtectList,
    });
    expect(actions(p)).toEqual(["delete fol.90"]);
  });

  it("skips protected analyses by id, reference glob, folder id or folder path", () => {
    const p = plan(
      [
        analysis("1", 95, "AVAILABLE"),
        analysis("2", 95, "ARCHIVED"),
        analysis("3", 70, "AVAILABLE"),
        analysis("4", 95, "AVAILABLE"),
        analysis("5", 95, "AVAILABLE", { userReference: "keep-me" }),
        analysis("6", 95, "AVAILABLE"),
      ],
      { protect: ["an-1", "REF-?", "fol.3", "/ilmn-analyses/ref-4", "keep-*"] },
    );
    // "REF-?" (case-insensitive glob) matches every ref-N reference; only protection decides here.
    expect(p.items.every((i) => i.action === "skip-protected")).toBe(true);
    expect(p.items.find((i) => i.target.id === "fol.1")?.reason).toBe("protected by 'an-1'; would delete");
    const narrower = plan([analysis("6", 95, "AVAILABLE"), analysis("4", 95, "AVAILABLE")], {
      protect: ["/ilmn-analyses/ref-4"],
    });
    expect(actions(narrower)).toEqual(["skip-protected fol.4", "delete fol.6"]);
  });

  it("spends the cap oldest first, counts unarchives, and warns about the rest", () => {
    const p = plan(
      [analysis("a", 95, "AVAILABLE"), analysis("b", 120, "ARCHIVED"), analysis("c", 100, "AVAILABLE"), analysis("d", 70, "AVAILABLE")],
      { cap: 2 },
    );
    expect(actions(p)).toEqual(["unarchive fol.b", "delete fol.c", "skip-cap fol.a", "archive fol.d"]);
    expect(p.items[2]?.reason).toMatch(/^delete cap of 2 reached this cycle; would delete: age 95\.0 d/);
    expect(p.warnings).toEqual(["ICA lifecycle: delete cap of 2 per cycle reached; 1 item(s) wait for the next cycle"]);
    expect(p.budget.remaining).toBe(0);
  });

  it("with a cap of 0 deletes and unarchives nothing but still archives", () => {
    const p = plan([analysis("a", 95, "AVAILABLE"), analysis("b", 95, "ARCHIVED"), analysis("c", 65, "AVAILABLE")], { cap: 0 });
    expect(p.items.map((i) => i.action)).toEqual(["skip-cap", "skip-cap", "archive"]);
    expect(p.warnings[0]).toMatch(/deletions are off \(delete cap 0\); 2 item\(s\)/);
  });

  it("plans a folder listed twice only once", () => {
    const a = analysis("a", 95, "AVAILABLE");
    expect(actions(plan([a, { ...a, analysisId: "an-other" }]))).toEqual(["delete fol.a"]);
  });

  it("safety: windows, protect list, cap and the unarchive journal hold for any input", () => {
    fc.assert(
      fc.property(windowsArb, icaScenarioArb, capArb, (w, scenario, cap) => {
        const protect = compileProtectList(scenario.protectEntries);
        const result = planIcaLifecycle({
          analyses: scenario.analyses,
          windows: w,
          unarchiveRequested: scenario.unarchiveRequested,
          budget: deletionBudget(cap),
          protect,
        });
        const byFolder = new Map(scenario.analyses.map((a) => [a.outputFolder.id, a]));
        let spent = 0;
        const seen = new Set<string>();
        for (const item of result.items) {
          const source = byFolder.get(item.target.id);
          expect(source).toBeDefined();
          if (!source) continue;
          expect(seen.has(item.target.id)).toBe(false);
          seen.add(item.target.id);
          expect(item.ageDays).toBe(source.ageDays);
          // Nothing younger than its window is planned at all.
          expect(source.ageDays >= (w.daysToArchive ?? w.daysToDelete)).toBe(true);
          if (item.action === "delete" || item.action === "unarchive") {
            expect(source.ageDays).toBeGreaterThanOrEqual(w.daysToDelete);
          }
          if (item.action === "archive") {
            expect(w.daysToArchive).not.toBeNull();
            expect(source.ageDays).toBeGreaterThanOrEqual(w.daysToArchive ?? Infinity);
            expect(source.ageDays).toBeLessThan(w.daysToDelete);
            expect(source.outputFolder.status).toBe("AVAILABLE");
          }
          if (item.action === "delete") expect(source.outputFolder.status).toBe("AVAILABLE");
          if (item.action === "unarchive") {
            expect(source.outputFolder.status).toBe("ARCHIVED");
            expect(scenario.unarchiveRequested.has(source.outputFolder.id)).toBe(false);
          }
          const keys = [source.analysisId, source.reference, source.outputFolder.id, source.outputFolder.path];
          if (protect.match(keys) !== null) expect(isActing(item.action)).toBe(false);
          if (cappedActions.has(item.action)) spent += 1;
        }
        expect(spent).toBeLessThanOrEqual(cap);
        expect(result.budget).toEqual({ cap, remaining: cap - spent });
      }),
      { numRuns: 1000 },
    );
  });

  it("liveness: with no cap pressure and no protection every due folder gets its action", () => {
    fc.assert(
      fc.property(windowsArb, icaScenarioArb, (w, scenario) => {
        const result = planIcaLifecycle({
          analyses: scenario.analyses,
          windows: w,
          unarchiveRequested: scenario.unarchiveRequested,
          budget: deletionBudget(1000),
          protect: emptyProtectList,
        });
        const planned = new Map(result.items.map((i) => [i.target.id, i.action]));
        for (const a of scenario.analyses) {
          const pastDelete = a.ageDays >= w.daysToDelete;
          const status = a.outputFolder.status;
          if (pastDelete && status === "AVAILABLE") expect(planned.get(a.outputFolder.id)).toBe("delete");
          if (pastDelete && status === "ARCHIVED") {
            const requested = scenario.unarchiveRequested.has(a.outputFolder.id);
            expect(planned.get(a.outputFolder.id)).toBe(requested ? "wait" : "unarchive");
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
