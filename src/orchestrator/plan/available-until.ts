import { DAY_MS, parseTimestamp, type LifecycleWindows, type Timestamp } from "./age.js";

/**
 * The first moment the tool may archive or delete an analysis' source output folder under the current
 * settings, taking the recipient's linked FASTQs with it (linked data is shared, not copied):
 *
 *   max(analysis start + first window, delivery + min_days_after_delivery)
 *
 * where the analysis ages from its start (its creation when it never started; age.ts) and the first
 * window is days_to_archive, or days_to_delete when archiving is off; the delivery hold (cycle-facts.ts
 * `deliveryHolds`) keeps delivered data at least min_days_after_delivery whatever its age. It is a lower
 * bound: the lifecycle acts on the first cycle from then on, and only on folders it classifies as
 * ICA-managed, so BaseSpace-managed output stays longer. Changed settings change it.
 */
export function sourceAvailableUntil(
  analysis: { startDate: Timestamp | null | undefined; timeCreated: Timestamp },
  deliveredAt: Timestamp,
  settings: { windows: LifecycleWindows; minDaysAfterDelivery: number },
): Date {
  const firstWindowDays = settings.windows.daysToArchive ?? settings.windows.daysToDelete;
  const aged = parseTimestamp(analysis.startDate ?? analysis.timeCreated).getTime() + firstWindowDays * DAY_MS;
  const held = parseTimestamp(deliveredAt).getTime() + settings.minDaysAfterDelivery * DAY_MS;
  return new Date(Math.max(aged, held));
}
