export { readManagedTable, addManagedRows, unreadableTableError, ManagedTableError, unknownRunId } from "./managed-table.js";
export type { ManagedRow, ParsedManagedTable } from "./managed-table.js";
export { Journal, openJournal } from "./journal.js";
export type {
  JournalData,
  ManagingEntry,
  Classification,
} from "./journal-schema.js";
export { acquireStateLock, LockHeldError, LockCompromisedError } from "./lock.js";
export type { StateLock } from "./lock.js";
export { AuditLog } from "./audit-log.js";
export type { AuditRecord } from "./audit-log.js";
export { newCycleId, writeCycleReport, pruneReports, readLatestReport, readReportsSince, manifestPath } from "./reports.js";
export { checkStateWritable, ensureStateDir, requireStateDir, statePaths, StateDirError } from "./state-dir.js";
export { cycleTempTargets, removeStaleTempFiles } from "./stale-temp-files.js";
export { notificationLogPath } from "./notification-log.js";
export { WarningMemory } from "./warning-memory.js";
export type { StatePaths } from "./state-dir.js";
export type { PersonDecision } from "./person-decision-schema.js";
export { eventLogPositionPath, readEventLogPosition, writeEventLogPosition } from "./event-log-position.js";
