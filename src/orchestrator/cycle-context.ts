import type { Logger } from "winston";
import type { LedgerState } from "../assumptions/index.js";
import { BaseSpaceClient } from "../basespace/client.js";
import type { Settings } from "../config/index.js";
import { RequestStats } from "../http/request-stats.js";
import type { RetryPolicy } from "../http/retry-policy.js";
import { IcaClient } from "../ica/client.js";
import type { ProgressBoard } from "../logging/index.js";
import type { PollOptions } from "../modules/data-transfer/index.js";
import type { Journal, StatePaths } from "../state/index.js";
import type { ActionLog } from "./action-log.js";
import type { JournalWriter } from "./journal-writer.js";
import type { LifecycleWindows } from "./plan/age.js";
import type { WarningGate } from "./warning-gate.js";
import type { ProtectList } from "./plan/protect.js";

/** What every step of one cycle works with. Built once by runCycle; steps get their inputs as arguments. */
export interface CycleContext {
  readonly settings: Settings;
  readonly cycleId: string;
  readonly dryRun: boolean;
  /** The instant every age in this cycle is measured from (the plan's `generatedAt`). */
  readonly now: Date;
  readonly ica: IcaClient;
  /** Absent when no BaseSpace token is configured. */
  readonly basespace: BaseSpaceClient | undefined;
  readonly stats: RequestStats;
  readonly journal: Journal;
  readonly journalWriter: JournalWriter;
  /** Absent in a dry run: the apply half of each step needs it, so a dry run cannot mutate anything. */
  readonly actions: ActionLog | undefined;
  readonly paths: StatePaths;
  /** The account's ledger state (src/assumptions), loaded once; a contradiction seen stops its kinds of action. */
  readonly ledger: LedgerState;
  /** Carries `cycleId` and `pair` as fields of every line; each step's adds `step`. */
  readonly logger: Logger;
  /** Which warnings reach the log now (once a day while they last); every one goes to the report. */
  readonly warnings: WarningGate;
  readonly windows: LifecycleWindows;
  readonly protect: ProtectList;
  /** How long and how often to wait for linking batches. */
  readonly linkPoll: PollOptions;
  /** New analyses manageNew selects, links, uploads and records per round (manage-new.ts). */
  readonly manageRoundSize: number;
  /** For long steps, waits and listings: a live line on a terminal, a log line at least every 10 s otherwise. */
  readonly progress: ProgressBoard;
}

export interface ClientOptions {
  retry?: { baseDelayMs?: number; retries?: number };
}

/** Both clients share one RequestStats, which the report reads per route. */
export function createClients(
  settings: Settings,
  options: ClientOptions,
): { ica: IcaClient; basespace: BaseSpaceClient | undefined; stats: RequestStats } {
  const stats = new RequestStats();
  const retry: Partial<RetryPolicy> = {
    // A shorter base shortens the ceiling too; otherwise the backoff would still grow to the default 20 s.
    ...(options.retry?.baseDelayMs !== undefined ? { baseDelayMs: options.retry.baseDelayMs, maxDelayMs: options.retry.baseDelayMs * 8 } : {}),
    ...(options.retry?.retries !== undefined ? { maxRetries: options.retry.retries } : {}),
  };
  const common = { timeoutMs: settings.requestTimeoutMs, concurrency: settings.concurrency, retry, stats };
  const ica = new IcaClient({ ...common, serverUrl: settings.icaBaseUrl, apiKey: settings.apiKey });
  const basespace = settings.basespace
    ? new BaseSpaceClient({ ...common, apiServer: settings.basespace.apiServer, accessToken: settings.basespace.accessToken })
    : undefined;
  return { ica, basespace, stats };
}
