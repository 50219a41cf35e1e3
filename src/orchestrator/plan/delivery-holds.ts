import { DAY_MS } from "./age.js";

export interface DeliveryHoldsInput {
  /** manageNew's analyses of this cycle (new ones, redeliveries). */
  toManage: ReadonlyArray<{ analysis: { id: string }; redelivery: boolean }>;
  /** Held for having no MGI FASTQ and resting (resting-holds.ts). */
  resting: ReadonlyArray<{ id: string }>;
  /** Analyses manageNew appended to the managed table this cycle (in a dry run: would append). */
  delivered: ReadonlySet<string>;
  /** The journal's delivery times, by analysis id. */
  deliveredAt: Readonly<Record<string, { deliveredAt: string }>>;
  minDaysAfterDelivery: number;
  now: Date;
}

/**
 * Why an analysis' output folder must not be archived or deleted this cycle, by analysis id:
 * - new (SUCCEEDED BCLConvert, not in the managed table) or asked for by `redeliver`, and not delivered
 *   this cycle — all of them if manageNew failed as a whole, and those held for an operator (no FASTQ,
 *   a FASTQ gone);
 * - delivered this cycle: a recipient cannot have downloaded anything yet, whatever the settings;
 * - delivered less than min_days_after_delivery ago (the journal keeps each delivery time).
 * Pure: the cycle (cycle-facts.ts) and the bench's lower bound apply the same rule.
 */
export function deliveryHolds(input: DeliveryHoldsInput): Map<string, string> {
  const holds = new Map<string, string>();
  for (const { analysis, redelivery } of input.toManage) {
    if (!input.delivered.has(analysis.id)) {
      const why = redelivery ? "redelivery requested (redeliver) and not done yet" : "its MGI FASTQs are not delivered yet (not in the managed table)";
      holds.set(analysis.id, `${why}; linked data goes with its source`);
    }
  }
  for (const { id } of input.resting) holds.set(id, "held: no MGI FASTQ (mark-managed or redeliver); linked data goes with its source");
  for (const id of input.delivered) holds.set(id, "delivered this cycle; kept at least min_days_after_delivery for the recipient");
  const minDays = input.minDaysAfterDelivery;
  for (const [id, { deliveredAt }] of Object.entries(input.deliveredAt)) {
    const until = Date.parse(deliveredAt) + minDays * DAY_MS;
    if (!holds.has(id) && input.now.getTime() < until) {
      holds.set(id, `delivered ${deliveredAt.slice(0, 10)}; kept until ${new Date(until).toISOString().slice(0, 10)} (min_days_after_delivery ${minDays})`);
    }
  }
  return holds;
}
