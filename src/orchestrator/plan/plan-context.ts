import type { Settings } from "../../config/index.js";
import { lifecycleWindows } from "./age.js";
import { archiveLossWarning, lifecycleCostOf } from "./cost.js";
import type { PlanContext } from "./plan-types.js";

/** The plan's header facts from the cycle's settings; `asOf` when ages were computed at a chosen date. */
export function planContextOf(settings: Settings, asOf: boolean): PlanContext {
  const { rates, policy } = lifecycleCostOf(settings);
  const archiveLoss = archiveLossWarning(lifecycleWindows(settings.daysToArchive, settings.daysToDelete), rates);
  return {
    daysToArchive: settings.daysToArchive,
    daysToDelete: settings.daysToDelete,
    minDaysAfterDelivery: settings.minDaysAfterDelivery,
    deleteCap: settings.deleteCap,
    archivePolicy: policy,
    rates,
    ...(archiveLoss === null ? {} : { archiveLoss }),
    ...(asOf ? { asOf: true } : {}),
  };
}
