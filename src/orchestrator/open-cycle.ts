import type { Logger } from "winston";
import { LedgerState } from "../assumptions/index.js";
import { pairLabel, settingsSecrets, type Settings } from "../config/index.js";
import { ProgressBoard, type ProgressOptions, type SecretRedactor } from "../logging/index.js";
import {
  acquireStateLock,
  AuditLog,
  checkStateWritable,
  cycleTempTargets,
  ensureStateDir,
  newCycleId,
  openJournal,
  readManagedTable,
  removeStaleTempFiles,
  statePaths,
  unreadableTableError,
  WarningMemory,
  type ParsedManagedTable,
  type StateLock,
} from "../state/index.js";
import { ActionLog } from "./action-log.js";
import { createClients, type ClientOptions, type CycleContext } from "./cycle-context.js";
import { JournalWriter } from "./journal-writer.js";
import { lifecycleWindows } from "./plan/age.js";
import { compileProtectList } from "./plan/protect.js";
import { WarningGate } from "./warning-gate.js";

export interface OpenCycleOptions extends ClientOptions {
  logger: Logger;
  redactor: SecretRedactor;
  now: Date;
  clock: () => Date;
  /** SIGTERM/SIGINT: ends the waits for linking batches at once (the journal keeps the batches). */
  signal?: AbortSignal;
  /** Where live progress lines go when it is a terminal; without one, long steps log a line every 10 s. */
  progressStream?: ProgressOptions["stream"];
  /** Tests drive the heartbeat of long steps by hand. */
  progressRepeat?: ProgressOptions["repeat"];
  /** Tests use small rounds; default manageRoundSize. */
  manageRoundSize?: number;
}

/**
 * New analyses applied per round of manageNew: what one round holds in memory (the selected FASTQs of
 * its analyses) and what a crash can take back. Two rounds are in memory at once (one uploads while the next
 * links): at 300, all of lab-year's 386 new analyses were, and its first cycle peaked 20–30 MB higher than at
 * 100 (bench/README.md), which still fills one folder read (150 ids) two thirds and costs lab-year 7 calls more.
 */
const manageRoundSize = 100;

export interface OpenedCycle {
  ctx: CycleContext;
  table: ParsedManagedTable;
  /** Releases the lock (idempotent). */
  close(): Promise<void>;
}

/**
 * Everything a cycle needs before its first API call: the state directory, the lock, the journal,
 * the managed table and the clients. Every path the cycle writes is proved writable, and the managed
 * table fully understood, before anything changes (StateDirError, ManagedTableError: exit 2). A dry run takes no lock and creates nothing: it opens the journal
 * read-only and never writes into the state directory. Throws LockHeldError when another cycle runs.
 */
export async function openCycle(settings: Settings, options: OpenCycleOptions): Promise<OpenedCycle> {
  const { redactor, clock } = options;
  const cycleId = newCycleId(options.now);
  const pair = pairLabel(settings);
  // Every line of the cycle carries these as fields (JSON) rather than inside its message.
  const logger = options.logger.child({ cycleId, pair });
  settingsSecrets(settings).forEach((secret) => redactor.add(secret));
  const windows = lifecycleWindows(settings.daysToArchive, settings.daysToDelete);
  const protect = compileProtectList(settings.protect);
  const dryRun = settings.dryRun;
  const progress = new ProgressBoard({
    ...(options.progressStream ? { stream: options.progressStream } : { isTTY: false }),
    ...(options.progressRepeat ? { repeat: options.progressRepeat } : {}),
  });
  const paths = dryRun ? statePaths(settings.stateDir) : await ensureStateDir(settings.stateDir);
  const lock = dryRun ? undefined : await acquireStateLock(settings.stateDir, { onCompromised: (error) => logger.error(error.message) });
  try {
    if (lock) {
      await checkStateWritable(paths, settings.managedTablePath);
      const removed = await removeStaleTempFiles(cycleTempTargets(paths, settings.managedTablePath));
      // The count at info, each path at debug: a killed first cycle can leave a temporary file per manifest.
      removed.forEach((path) => logger.debug(`removed ${path}`));
      if (removed.length > 0) logger.info(`removed ${removed.length} temporary file(s) a killed cycle left beside the state's files`);
    }
    const fence = lock ? () => lock.assertHeld() : undefined;
    const journal = await openJournal(paths.journal, { readOnly: dryRun, now: clock, cyclesPath: paths.cycles, ...(fence ? { fence } : {}) });
    const table = await readManagedTable(settings.managedTablePath);
    const unreadable = unreadableTableError(settings.managedTablePath, table);
    if (unreadable) throw unreadable;
    const remembered = lock ? await WarningMemory.open(paths.warnings) : undefined;
    if (remembered?.problem !== undefined) logger.warn(remembered.problem);
    const reportHint = dryRun ? "the plan (a dry run writes no report)" : `reports/${cycleId}.json`;
    const clients = createClients(settings, options);
    const journalWriter = new JournalWriter(journal);
    const audit = (held: StateLock) =>
      new AuditLog(paths.audit, { cycleId, now: clock, redactor, fence: () => held.assertHeld(), onTornLine: (message) => logger.warn(message) });
    const ctx: CycleContext = {
      settings,
      cycleId,
      dryRun,
      now: options.now,
      ...clients,
      journal,
      journalWriter,
      actions: lock ? new ActionLog(audit(lock), lock, journalWriter) : undefined,
      paths,
      ledger: await LedgerState.load(paths.root),
      logger,
      warnings: new WarningGate(remembered?.memory, pair, options.now, reportHint),
      windows,
      protect,
      linkPoll: { deadlineMs: settings.linkDeadlineMs, ...(options.signal ? { signal: options.signal } : {}) },
      manageRoundSize: options.manageRoundSize ?? manageRoundSize,
      progress,
    };
    journal.beginCycle(cycleId);
    return { ctx, table, close: () => release(lock) };
  } catch (error) {
    await release(lock);
    throw error;
  }
}

async function release(lock: StateLock | undefined): Promise<void> {
  await lock?.release();
}
