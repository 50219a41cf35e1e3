import type { PlanItem } from "./plan-types.js";
import { runFolderOf } from "./same-run.js";

/**
 * Which SUCCEEDED BCLConvert analysis of a run the recipient gets. The policy: one delivery per run (run
 * folder of the reference) — the one already delivered, else the one being delivered (journal), else
 * the first that SUCCEEDED (oldest `timeCreated`, then listing order). Later ones are `superseded`: not
 * linked, no manifest, no table row, and reported every cycle as such. A later one is delivered only
 * when an operator asks for it (`prefer`, for a `redeliver` command), which makes it the run's choice.
 * Analyses whose reference names no run folder are runs of their own. Pure.
 */
export interface DeliveryCandidate {
  id: string;
  reference: string;
  timeCreated?: string;
}

export interface DeliveryChoiceInput<A extends DeliveryCandidate> {
  /** Every SUCCEEDED BCLConvert analysis of the listing, delivered ones included, in listing order. */
  succeeded: readonly A[];
  /** Analyses in the managed table. */
  delivered: ReadonlySet<string>;
  /** Analyses whose delivery an earlier cycle started (journal `managing`). */
  inFlight: ReadonlySet<string>;
  /** Analyses an operator chose for their run (redeliver): they win over the rest of their run. */
  prefer?: ReadonlySet<string>;
}

export interface DeliveryChoice<A> {
  /** The analyses the recipient gets (or has): one per run. */
  chosen: A[];
  /** The other SUCCEEDED analyses of those runs, each with the one delivered instead. */
  superseded: Array<{ analysis: A; by: A }>;
}

export function chooseDeliveries<A extends DeliveryCandidate>(input: DeliveryChoiceInput<A>): DeliveryChoice<A> {
  const runs = new Map<string, A[]>();
  for (const analysis of input.succeeded) {
    const run = runFolderOf(analysis) ?? `analysis:${analysis.id}`;
    runs.set(run, [...(runs.get(run) ?? []), analysis]);
  }
  const choice: DeliveryChoice<A> = { chosen: [], superseded: [] };
  for (const analyses of runs.values()) {
    const rank = (a: A): number => (input.prefer?.has(a.id) ? 0 : input.delivered.has(a.id) ? 1 : input.inFlight.has(a.id) ? 2 : 3);
    const order = analyses.map((analysis, i) => ({ analysis, i }));
    order.sort((x, y) => rank(x.analysis) - rank(y.analysis) || (x.analysis.timeCreated ?? "").localeCompare(y.analysis.timeCreated ?? "") || x.i - y.i);
    const [first, ...rest] = order.map((o) => o.analysis);
    if (!first) continue;
    choice.chosen.push(first);
    for (const analysis of rest) choice.superseded.push({ analysis, by: first });
  }
  return choice;
}

/** The plan's `skip` item of each superseded analysis: the plan and the report say which run it belongs to and what was delivered. */
export function supersededItems(superseded: ReadonlyArray<{ analysis: DeliveryCandidate; by: DeliveryCandidate; byDelivered: boolean }>): PlanItem[] {
  return superseded.map(({ analysis, by, byDelivered }) => ({
    step: "manageNew",
    action: "skip",
    target: { kind: "analysis", id: analysis.id, name: analysis.reference },
    analysisId: analysis.id,
    reason: `superseded, not delivered: its run is ${byDelivered ? "delivered" : "being delivered"} as ${by.reference} (one delivery per run: the first SUCCEEDED; redeliver ${analysis.id} delivers this one instead)`,
  }));
}
