import type { Settings } from "../../config/index.js";
import type { LifecycleWindows } from "./age.js";
import type { PlanAction } from "./plan-types.js";

/**
 * The iCredit estimates of plans and reports (docs/cost.md). Storage is billed per TB-month, moves
 * to archive and restores per TB; sizes are decimal (1 TB = 10^12 bytes) and a month is 30 days, as
 * Illumina's price list counts them. Estimates only: the invoice is Illumina's.
 */
export interface IcreditRates {
  standardTbMonth: number;
  archiveTbMonth: number;
  archivePerTb: number;
  restorePerTb: number;
}

/** What one action changes: a one-time charge (positive costs) and the monthly storage bill from then on (negative saves). */
export interface IcreditEffect {
  once: number;
  perMonth: number;
}

const DAYS_PER_MONTH = 30;
const BYTES_PER_TB = 1e12;

export const terabytes = (bytes: number): number => bytes / BYTES_PER_TB;

/** Rounded to cents of an iCredit, so JSON and tables do not carry float noise. */
const cents = (value: number): number => Math.round(value * 100) / 100 + 0;

/** The prices and the archive policy a lifecycle planner works with. */
export interface LifecycleCost {
  rates: IcreditRates;
  policy: Settings["archivePolicy"];
}

type CostSettings = Pick<
  Settings,
  "icreditsStandardTbMonth" | "icreditsArchiveTbMonth" | "icreditsArchivePerTb" | "icreditsRestorePerTb" | "archivePolicy"
>;

export function lifecycleCostOf(settings: CostSettings): LifecycleCost {
  return {
    rates: {
      standardTbMonth: settings.icreditsStandardTbMonth,
      archiveTbMonth: settings.icreditsArchiveTbMonth,
      archivePerTb: settings.icreditsArchivePerTb,
      restorePerTb: settings.icreditsRestorePerTb,
    },
    policy: settings.archivePolicy,
  };
}

/**
 * The effect of one planned action on `bytes` of data. Deleting (ICA) and trashing (BaseSpace) happen
 * only to data that is not archived (archived data is restored first), so they save standard storage.
 * Actions that move no data (links share it, manifests are bytes) have none.
 */
export function actionEffect(action: PlanAction, bytes: number, rates: IcreditRates): IcreditEffect | undefined {
  const tb = terabytes(bytes);
  const difference = rates.standardTbMonth - rates.archiveTbMonth;
  switch (action) {
    case "archive":
      return { once: cents(rates.archivePerTb * tb), perMonth: cents(-difference * tb) };
    case "unarchive":
    case "restore":
      return { once: cents(rates.restorePerTb * tb), perMonth: cents(difference * tb) };
    case "delete":
    case "trash":
      return { once: 0, perMonth: cents(-rates.standardTbMonth * tb) };
    default:
      return undefined;
  }
}

/**
 * What archiving 1 TB saves when it then stays archived `days` before deletion, net of moving it to
 * archive and of the restore both services need before they delete archived data; negative is a loss.
 */
export function archiveSavingPerTb(days: number, rates: IcreditRates): number {
  const months = Math.max(0, days) / DAYS_PER_MONTH;
  return cents((rates.standardTbMonth - rates.archiveTbMonth) * months - rates.archivePerTb - rates.restorePerTb);
}

/** The fewest days data must stay archived for archiving to pay for itself; null when it never does. */
export function breakEvenDays(rates: IcreditRates): number | null {
  const difference = rates.standardTbMonth - rates.archiveTbMonth;
  if (difference <= 0) return null;
  return Math.ceil(((rates.archivePerTb + rates.restorePerTb) / difference) * DAYS_PER_MONTH);
}

/**
 * The configured windows judged by the rates: null when archiving is off or pays for itself, else one
 * line with the numbers and the ways out (doctor and plan show it).
 */
export function archiveLossWarning(windows: LifecycleWindows, rates: IcreditRates): string | null {
  if (windows.daysToArchive === null) return null;
  const days = windows.daysToDelete - windows.daysToArchive;
  const saving = archiveSavingPerTb(days, rates);
  if (saving >= 0) return null;
  const months = days / DAYS_PER_MONTH;
  const kept = cents((rates.standardTbMonth - rates.archiveTbMonth) * months);
  const breakEven = breakEvenDays(rates);
  const fix =
    breakEven === null
      ? "archive storage is not cheaper than standard at these rates: set days_to_archive off"
      : `archiving pays off only for data archived at least ${breakEven} days: set days_to_delete ≥ ${windows.daysToArchive + breakEven}, days_to_archive off, or --archive_policy cost-aware`;
  return (
    `archiving at ${windows.daysToArchive} days and deleting at ${windows.daysToDelete} costs ${-saving} iCredits per TB more than it saves ` +
    `(${months.toFixed(1)} month(s) archived save ${kept}; moving to archive costs ${rates.archivePerTb} and the restore before deletion ${rates.restorePerTb}); ${fix}`
  );
}

/** Bytes by storage class, and what they cost a month. */
export interface StorageUnderManagement {
  standardBytes: number;
  archivedBytes: number;
}

export function monthlyStorageCost(storage: StorageUnderManagement, rates: IcreditRates): number {
  return cents(terabytes(storage.standardBytes) * rates.standardTbMonth + terabytes(storage.archivedBytes) * rates.archiveTbMonth);
}

/** Sums of effects (plan totals). */
export function addEffects(effects: Iterable<IcreditEffect | undefined>): IcreditEffect {
  let once = 0;
  let perMonth = 0;
  for (const effect of effects) {
    once += effect?.once ?? 0;
    perMonth += effect?.perMonth ?? 0;
  }
  return { once: cents(once), perMonth: cents(perMonth) };
}
