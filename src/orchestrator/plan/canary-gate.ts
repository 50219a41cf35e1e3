import type { CanaryEntry, CanaryKind } from "../../assumptions/canaries.js";
import { isActing, type PlanAction } from "./plan-types.js";

/** What the gate needs of an item: a lifecycle step's PlanItem, or a requeue step's RequeueItem. */
interface GatedItem {
  action: PlanAction;
  reason: string;
}

export interface CanaryGateInput<T extends GatedItem> {
  /** `canary: off`: every kind runs at full rate. */
  enabled: boolean;
  /** The kind's canary as the ledger state file has it. */
  canaryOf: (kind: CanaryKind) => CanaryEntry | undefined;
  /** Which kind of irreversible action an item is; undefined for items no canary guards. */
  kindOf: (item: T) => CanaryKind | undefined;
}

/**
 * Holds back what the canary does not let go yet. A kind never done against the account goes on its
 * first item (the plan's order: oldest first) and the rest wait; one done but not yet seen to have
 * worked waits whole; one whose postcondition failed is stopped until the operator acknowledges it.
 */
export function gateByCanary<T extends GatedItem>(items: readonly T[], input: CanaryGateInput<T>): T[] {
  if (!input.enabled) return [...items];
  // Held items keep everything but their action and reason; every gated item type has `wait` and `skip`.
  const hold = (item: T, action: "wait" | "skip", reason: string): T => ({ ...item, action, reason }) as T;
  const total = new Map<CanaryKind, number>();
  for (const item of items) {
    const kind = isActing(item.action) ? input.kindOf(item) : undefined;
    if (kind !== undefined) total.set(kind, (total.get(kind) ?? 0) + 1);
  }
  const first = new Set<CanaryKind>();
  return items.map((item) => {
    const kind = isActing(item.action) ? input.kindOf(item) : undefined;
    if (kind === undefined) return item;
    const canary = input.canaryOf(kind);
    if (canary?.state === "confirmed") return item;
    if (canary?.state === "contradicted") {
      return hold(item, "skip", `canary of ${kind} contradicted ${canary.at} (${canary.evidence}); stopped until \`ica-orchestrator ack ${kind}\`; would ${item.action}`);
    }
    if (canary?.state === "applied") {
      return hold(item, "wait", `canary: ${kind} ${canary.evidence} ${canary.at}; the rest after its confirmation; would ${item.action}`);
    }
    if (!first.has(kind)) {
      first.add(kind);
      return { ...item, reason: `${item.reason}; canary: 1 of ${total.get(kind) ?? 1} ${kind}, rest after confirmation` };
    }
    return hold(item, "wait", `canary: 1 of ${total.get(kind) ?? 1} ${kind}, rest after confirmation; would ${item.action}`);
  });
}
