export { runCycle, renderCycleReport, cycleReportSchema } from "./run-cycle.js";
export type { CycleKind, CycleReport, StoredCycleReport } from "./run-cycle.js";
export * from "./plan/index.js";
export { cycleConfigurationErrors } from "./configuration-errors.js";
