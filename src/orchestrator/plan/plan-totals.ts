import { addEffects, type IcreditEffect } from "./cost.js";
import type { Plan, PlanAction } from "./plan-types.js";

/** The kinds of change a plan's header totals: an unarchive counts as a restore. */
export const totalledKinds = ["link", "archive", "restore", "delete", "trash"] as const;
type TotalledKind = (typeof totalledKinds)[number];

const kindOf: Partial<Record<PlanAction, TotalledKind>> = {
  link: "link",
  archive: "archive",
  unarchive: "restore",
  restore: "restore",
  delete: "delete",
  trash: "trash",
};

export interface KindTotal {
  items: number;
  bytes: number;
  /** Items whose size is not known (their bytes are not in `bytes`). */
  unsized: number;
}

export interface PlanTotals {
  byKind: Record<TotalledKind, KindTotal>;
  icredits: IcreditEffect;
}

/** Items and bytes per kind of change, and the estimated iCredits of them all. */
export function planTotals(plan: Plan): PlanTotals {
  const byKind = Object.fromEntries(totalledKinds.map((kind) => [kind, { items: 0, bytes: 0, unsized: 0 }])) as Record<TotalledKind, KindTotal>;
  const items = plan.steps.flatMap((step) => step.items);
  for (const item of items) {
    const kind = kindOf[item.action];
    if (kind === undefined) continue;
    const total = byKind[kind];
    total.items += 1;
    if (item.sizeBytes === undefined) total.unsized += 1;
    else total.bytes += item.sizeBytes;
  }
  return { byKind, icredits: addEffects(items.map((item) => item.icredits)) };
}
