import type { Contradiction } from "../assumptions/index.js";
import type { ProjectRef } from "../config/index.js";
import type { JournalData } from "../state/journal-schema.js";
import type { CycleFailure } from "./failure-fact.js";

/** Kinds of work that waits on something outside the tool, each with its own stuck threshold. */
export type WaitingKind = "analysis" | "managing" | "ica-delete" | "basespace-restore";

/** One thing that is waiting, and since when. */
export interface WaitingItem {
  kind: WaitingKind;
  id: string;
  /** One line for people: what it is and what it waits for. */
  label: string;
  /** ISO-8601. */
  since: string;
}

/** What notifications (and metrics) need to know about one finished cycle: the report's facts, counts summed. */
export interface NotificationInput extends Omit<ReportFacts, "steps"> {
  /**
   * The pair as configured (configuredPair), which names it the same whether or not the cycle got as far
   * as resolving the projects: error alerts and their recoveries are keyed under it. Default: the ids.
   */
  pair?: string;
  /** The steps' counts, summed by name (linked, archived…), for the digest. */
  counts: Readonly<Record<string, number>>;
  waiting: readonly WaitingItem[];
  /** What people did to items this tool acted on, first seen in this cycle (each is alerted once). */
  personDecisions?: readonly string[];
  /** Analyses first held this cycle with nothing to deliver (each is alerted once; not an error, so no recovery follows). */
  held?: readonly string[];
  /** Ledger entries first contradicted this cycle (each is alerted once, keyed on its id; not an error, so no recovery follows). */
  contradictions?: readonly Contradiction[];
}

/** The parts of a CycleReport (src/orchestrator/cycle-report.ts) this module reads. */
export interface ReportFacts {
  cycleId: string;
  outcome: string;
  dryRun: boolean;
  finishedAt: string;
  source: { id: string; name: string };
  destination: { id: string; name: string };
  errors: readonly string[];
  /** The errors with what failed, where known; an error without an entry here is keyed by its text. */
  failures?: readonly CycleFailure[];
  steps: readonly { counts: Readonly<Record<string, number>> }[];
  reportPath?: string;
}

/** An analysis of the cycle's listing that has not finished (findNewAnalyses().pending). */
export interface PendingAnalysis {
  id: string;
  reference: string;
  status: string;
  timeCreated: string;
}

export type JournalFacts = Pick<JournalData, "managing" | "pendingIcaDeletes" | "basespaceRestores"> &
  Partial<Pick<JournalData, "personDecisions">>;

/**
 * Everything waiting: unfinished analyses from the listing, and the journal's in-flight work.
 * @internal exported for the tests
 */
export function waitingItems(journal: JournalFacts, pending: readonly PendingAnalysis[]): WaitingItem[] {
  const items: WaitingItem[] = pending.map((a) => ({
    kind: "analysis",
    id: a.id,
    label: `analysis ${a.reference} is still ${a.status}`,
    since: a.timeCreated,
  }));
  for (const [analysisId, entry] of Object.entries(journal.managing)) {
    const batches = entry.step === "link" && entry.linkBatchIds.length > 0 ? ` (linking batch ${entry.linkBatchIds.join(", ")})` : "";
    const run = entry.runId === undefined ? analysisId : `${entry.runId} (${analysisId})`;
    items.push({ kind: "managing", id: analysisId, label: `managing ${run} is at step ${entry.step}${batches}`, since: entry.startedAt });
  }
  for (const [dataId, entry] of Object.entries(journal.pendingIcaDeletes)) {
    items.push({
      kind: "ica-delete",
      id: dataId,
      label: `ICA data ${entry.path ?? dataId} was asked to unarchive so it can be deleted, and is not available yet`,
      since: entry.unarchiveRequestedAt,
    });
  }
  for (const [id, entry] of Object.entries(journal.basespaceRestores)) {
    items.push({ kind: "basespace-restore", id, label: `BaseSpace ${entry.kind} ${id} was asked to restore and is still archived`, since: entry.requestedAt });
  }
  return items;
}

/** Builds the input from the cycle's report, its journal and the unfinished analyses of its listing. */
export function notificationInputFrom(report: ReportFacts, journal: JournalFacts, pending: readonly PendingAnalysis[]): NotificationInput {
  const counts: Record<string, number> = {};
  for (const step of report.steps) for (const [key, n] of Object.entries(step.counts)) counts[key] = (counts[key] ?? 0) + n;
  return {
    cycleId: report.cycleId,
    outcome: report.outcome,
    dryRun: report.dryRun,
    finishedAt: report.finishedAt,
    source: report.source,
    destination: report.destination,
    errors: report.errors,
    ...(report.failures !== undefined ? { failures: report.failures } : {}),
    counts,
    waiting: waitingItems(journal, pending),
    personDecisions: Object.entries(journal.personDecisions ?? {})
      .filter(([, decision]) => decision.cycleId === report.cycleId)
      .map(([id, decision]) => `${decision.target} ${decision.name ?? ""} [${id}]: ${decision.detail}; left alone until \`ica-orchestrator release ${id}\``),
    ...(report.reportPath !== undefined ? { reportPath: report.reportPath } : {}),
  };
}

/** `id:<uuid>` or `name:<name>` of each configured project: the pair's name in alert keys. */
export function configuredPair(source: ProjectRef, destination: ProjectRef): string {
  const ref = (p: ProjectRef): string => ("id" in p ? `id:${p.id}` : `name:${p.name}`);
  return `${ref(source)}>${ref(destination)}`;
}
