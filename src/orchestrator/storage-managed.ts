import type { IcaAnalysis } from "../ica/schemas.js";
import type { JournalData } from "../state/index.js";
import { monthlyStorageCost, terabytes, type IcreditRates, type StorageUnderManagement } from "./plan/cost.js";

/** The report's `storage`: what the tool manages, by storage class, and its estimated monthly bill. */
export interface StorageReport {
  standardTB: number;
  archivedTB: number;
  estimatedMonthlyIcredits: number;
}

/**
 * Storage under management from what the cycle already knows (no extra call): the ICA output folders of
 * the listed analyses whose size delivery summed (journal `outputBytes`), standard or archived as the
 * journal last saw them, deleted and BaseSpace-managed ones left out; plus the aged BaseSpace datasets
 * and runs the BaseSpace lifecycle listed.
 */
export function storageUnderManagement(
  analyses: readonly IcaAnalysis[],
  journal: Pick<JournalData, "outputBytes" | "classifications">,
  basespace: StorageUnderManagement,
): StorageUnderManagement {
  const total = { ...basespace };
  for (const analysis of analyses) {
    const bytes = journal.outputBytes[analysis.id];
    const known = journal.classifications[analysis.id];
    if (bytes === undefined || (known !== undefined && known.kind !== "ica")) continue;
    const status = known?.outputStatus?.status;
    if (status === "DELETED") continue;
    if (status === "ARCHIVED") total.archivedBytes += bytes;
    else total.standardBytes += bytes;
  }
  return total;
}

/** Bytes of BaseSpace items by whether they are archived. */
export function basespaceStorage(items: ReadonlyArray<{ sizeBytes?: number | null; isArchived: boolean }>): StorageUnderManagement {
  const storage = { standardBytes: 0, archivedBytes: 0 };
  for (const item of items) {
    if (item.isArchived) storage.archivedBytes += item.sizeBytes ?? 0;
    else storage.standardBytes += item.sizeBytes ?? 0;
  }
  return storage;
}

const threeDecimals = (value: number): number => Math.round(value * 1000) / 1000;

export function storageReport(storage: StorageUnderManagement, rates: IcreditRates): StorageReport {
  return {
    standardTB: threeDecimals(terabytes(storage.standardBytes)),
    archivedTB: threeDecimals(terabytes(storage.archivedBytes)),
    estimatedMonthlyIcredits: monthlyStorageCost(storage, rates),
  };
}
