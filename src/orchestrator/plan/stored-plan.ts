import { z } from "zod";
import type { IcreditEffect } from "./cost.js";
import { byAction, groupTotal, planTotals, type PlanTotals } from "./plan-totals.js";
import type { Plan, PlanAction, PlanContext, PlanItem, PlanStepName } from "./plan-types.js";

/**
 * The plan as `reports/<cycle-id>.json` keeps it: per step and action, how many items, their bytes and
 * estimated iCredits, the id of every one of them, and the first few in full (target, path, reason). A
 * first cycle on a large account plans tens of thousands of items (scale-1m: 37,307, most of them waiting
 * for the delete cap), and a report holding each one's path and reason was 23.5 MB; with ids it grows by
 * an id per item. The ids are what a person follows one up by (`status`, the ICA and BaseSpace consoles;
 * `audit.jsonl` has every call made, with its targets). `plan -o json` and `run -o json` still print every
 * item in full.
 */
export interface StoredPlan {
  generatedAt: string;
  context?: PlanContext;
  /** As planTotals counts them over every item. */
  totals: PlanTotals;
  steps: StoredStepPlan[];
}

interface StoredStepPlan {
  step: PlanStepName;
  warnings: string[];
  /** One group per action, in the order each action first appears in the step. */
  actions: ActionGroup[];
}

interface ActionGroup {
  action: PlanAction;
  items: number;
  /** Bytes of the items whose size is known; `unsized` counts the others. */
  bytes: number;
  unsized: number;
  icredits: IcreditEffect;
  /** The target id of every item (a data, analysis, dataset or run id), in plan order. */
  ids: string[];
  /** The first `itemsInFull` items as planned. */
  first: PlanItem[];
}

/** Items of each action kept whole: enough to see what a group is about without the whole backlog. */
const itemsInFull = 20;

export function storedPlan(plan: Plan): StoredPlan {
  return {
    generatedAt: plan.generatedAt,
    ...(plan.context ? { context: plan.context } : {}),
    totals: planTotals(plan),
    steps: plan.steps.map((step) => ({
      step: step.step,
      warnings: step.warnings,
      actions: [...byAction(step.items)].map(([action, items]) => actionGroup(action, items)),
    })),
  };
}

function actionGroup(action: PlanAction, items: readonly PlanItem[]): ActionGroup {
  const { bytes, unsized, icredits } = groupTotal(items);
  return {
    action,
    items: items.length,
    bytes,
    unsized,
    icredits,
    ids: items.map((item) => item.target.id),
    first: items.slice(0, itemsInFull),
  };
}

/** What `status` reads back of a stored plan: its totals (a report written before plans were stored this way has none). */
const storedTotalsSchema = z.object({ totals: z.object({ icredits: z.object({ once: z.number(), perMonth: z.number() }) }) });

/**
 * The estimated iCredits of a report's planned actions: a plan in memory is totalled; a stored plan says
 * its totals; a report from before plans were stored that way holds every item, which are totalled.
 */
export function plannedIcredits(plan: unknown): IcreditEffect {
  const stored = storedTotalsSchema.safeParse(plan);
  return stored.success ? stored.data.totals.icredits : planTotals(plan as Plan).icredits;
}
