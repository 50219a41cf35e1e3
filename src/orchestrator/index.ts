export { runCycle, renderCycleReport, cycleReportSchema } from "./run-cycle.js";
export type { CycleOptions, CycleOutcome, CycleReport, StepReport, ActionRecord, StoredCycleReport } from "./run-cycle.js";
export * from "./plan/index.js";
export { cycleConfigurationErrors } from "./configuration-errors.js";
