export { readManagedTable, addManagedRows, unreadableTableError, ManagedTableError, managedTableHeader, unknownRunId } from "./managed-table.js";
export type { ManagedRow, ParsedManagedTable, UnreadableLine, AddRowsOptions } from "./managed-table.js";
export { Journal, JournalError, openJournal } from "./journal.js";
export type { JournalOptions } from "./journal.js";
export { manageSteps, analysisKinds, basespaceKinds, knownOutputStatuses, journalVersion } from "./journal-schema.js";
export type {
  JournalData,
  ManageStep,
  ManagingEntry,
  AnalysisKind,
  Classification,
  KnownOutputStatus,
  PendingIcaDelete,
  BasespaceKind,
  BasespaceRestore,
  TrashedItem,
  DeliveredEntry,
  UndeliverableEntry,
} from "./journal-schema.js";
export { acquireStateLock, LockHeldError, LockCompromisedError, lockDefaults } from "./lock.js";
export type { StateLock, LockOptions } from "./lock.js";
export { AuditLog, readAuditLog, auditEntrySchema } from "./audit-log.js";
export type { AuditEntry, AuditRecord, AuditLogOptions, AuditLogContents } from "./audit-log.js";
export { newCycleId, writeCycleReport, pruneReports, readLatestReport, manifestPath, ReportError } from "./reports.js";
export type { StoredReport } from "./reports.js";
export { checkStateWritable, ensureStateDir, statePaths, StateDirError } from "./state-dir.js";
export { cycleTempTargets, removeStaleTempFiles, staleTempAgeMs } from "./stale-temp-files.js";
export type { StaleTempTargets } from "./stale-temp-files.js";
export { NotificationLog, notificationLogPath } from "./notification-log.js";
export type { StatePaths } from "./state-dir.js";
export { personDecisionKinds, personDecisionSchema } from "./person-decision-schema.js";
export type { PersonDecision, PersonDecisionKind } from "./person-decision-schema.js";
