import type { Settings } from "../../config/index.js";
import { archiveLossWarning, lifecycleCostOf, lifecycleWindows } from "../../orchestrator/plan/index.js";
import type { CheckResult } from "./checklist.js";

/**
 * Whether the archive and delete windows pay for themselves at the configured prices (docs/cost.md):
 * archiving shortly before deleting, with the restore both services need first, costs more than it saves.
 */
export function checkArchiveCost(settings: Settings, pairLabel: string): CheckResult {
  const name = `cost of archiving (${pairLabel})`;
  const { rates, policy } = lifecycleCostOf(settings);
  const loss = archiveLossWarning(lifecycleWindows(settings.daysToArchive, settings.daysToDelete), rates);
  if (loss === null) {
    const detail = settings.daysToArchive === null ? "archiving is off" : "archiving pays for itself before deletion at the configured prices";
    return { name, status: "ok", detail };
  }
  if (policy === "cost-aware") return { name, status: "ok", detail: `archive_policy cost-aware skips the archives that would lose iCredits: ${loss}` };
  return { name, status: "warn", detail: loss };
}
