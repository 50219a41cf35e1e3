import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planTotals } from "../../src/orchestrator/plan/plan-totals.js";
import type { Plan, PlanAction, PlanItem } from "../../src/orchestrator/plan/plan-types.js";
import { plannedIcredits, storedPlan } from "../../src/orchestrator/plan/stored-plan.js";

const actions: PlanAction[] = ["link", "archive", "unarchive", "delete", "trash", "wait", "skip-cap", "skip-protected"];

const itemArb: fc.Arbitrary<PlanItem> = fc.record(
  {
    step: fc.constantFrom("manageNew", "icaLifecycle", "basespaceLifecycle"),
    action: fc.constantFrom(...actions),
    target: fc.record({ kind: fc.constant("ica-folder"), id: fc.stringMatching(/^fol\.[0-9a-f]{6}$/), path: fc.constant("/out/") }),
    sizeBytes: fc.integer({ min: 0, max: 10 ** 12 }),
    icredits: fc.record({ once: fc.integer({ min: -500, max: 500 }).map((n) => n / 4), perMonth: fc.integer({ min: -500, max: 500 }).map((n) => n / 4) }),
    reason: fc.string(),
  },
  { requiredKeys: ["step", "action", "target", "reason"] },
) as fc.Arbitrary<PlanItem>;

const planArb: fc.Arbitrary<Plan> = fc
  .array(fc.array(itemArb, { maxLength: 60, size: "max" }), { minLength: 1, maxLength: 3 })
  .map((steps) => ({
    generatedAt: "2026-12-06T00:00:00.000Z",
    steps: steps.map((items, n) => ({ step: (["manageNew", "icaLifecycle", "basespaceLifecycle"] as const)[n] ?? "manageNew", items, warnings: [`w${n}`] })),
  }));

describe("the plan as a report on disk keeps it (counts and ids)", () => {
  it("keeps every item's id, each action's count, bytes and iCredits, the plan's totals, and the first 20 of each action whole", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const stored = storedPlan(plan);
        expect(stored.totals).toEqual(planTotals(plan));
        expect(plannedIcredits(stored)).toEqual(planTotals(plan).icredits);
        stored.steps.forEach((step, n) => {
          const items = plan.steps[n]?.items ?? [];
          expect(step.warnings).toEqual(plan.steps[n]?.warnings);
          expect(step.actions.map((group) => group.action)).toEqual([...new Set(items.map((item) => item.action))]);
          for (const group of step.actions) {
            const ofAction = items.filter((item) => item.action === group.action);
            expect(group.items).toBe(ofAction.length);
            expect(group.ids).toEqual(ofAction.map((item) => item.target.id));
            expect(group.first).toEqual(ofAction.slice(0, 20));
            expect(group.bytes).toBe(ofAction.reduce((sum, item) => sum + (item.sizeBytes ?? 0), 0));
            expect(group.unsized).toBe(ofAction.filter((item) => item.sizeBytes === undefined).length);
            expect(group.icredits).toEqual(planTotals({ ...plan, steps: [{ step: step.step, items: ofAction, warnings: [] }] }).icredits);
          }
        });
      }),
    );
  });

  it("totals the iCredits of a report written before plans were stored this way, which holds every item", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        expect(plannedIcredits(JSON.parse(JSON.stringify(plan)))).toEqual(planTotals(plan).icredits);
      }),
    );
  });
});
