import { addEffects, type IcreditEffect } from "./cost.js";
import type { Plan, PlanAction, PlanItem } from "./plan-types.js";

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

/** A step's items by action, each action in the order it first appears: the plan table's sections and the stored plan's groups. */
export function byAction(items: readonly PlanItem[]): Map<PlanAction, PlanItem[]> {
  const groups = new Map<PlanAction, PlanItem[]>();
  for (const item of items) {
    const group = groups.get(item.action);
    if (group) group.push(item);
    else groups.set(item.action, [item]);
  }
  return groups;
}

export interface GroupTotal extends KindTotal {
  icredits: IcreditEffect;
  /** Items with an estimate (those in `icredits`). */
  priced: number;
}

/** What a group of items adds up to: how many, the bytes of those with a size, and their estimated iCredits. */
export function groupTotal(items: readonly PlanItem[]): GroupTotal {
  let bytes = 0;
  let unsized = 0;
  let priced = 0;
  for (const item of items) {
    if (item.sizeBytes === undefined) unsized += 1;
    else bytes += item.sizeBytes;
    if (item.icredits !== undefined) priced += 1;
  }
  return { items: items.length, bytes, unsized, icredits: addEffects(items.map((item) => item.icredits)), priced };
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
