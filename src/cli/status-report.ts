import { LedgerState, renderCanaries, renderLedgerState, type CanaryView } from "../assumptions/index.js";
import type { LocalSettings } from "../config/index.js";
import { cycleReportSchema, type StoredCycleReport } from "../orchestrator/index.js";
import { describeDecision } from "../orchestrator/person-decisions.js";
import { openJournal, readLatestReport, readManagedTable, requireStateDir, type JournalData, type ManagedRow } from "../state/index.js";

interface ManagedTableStatus {
  path: string;
  count: number;
  /** The most recently added rows, newest last. */
  latest: ManagedRow[];
  warnings: string[];
}

export interface StateStatus {
  stateDir: string;
  managedTables: ManagedTableStatus[];
  journal: Pick<JournalData, "cycles" | "managing" | "pendingIcaDeletes" | "basespaceRestores" | "trashedByUs" | "personDecisions" | "undeliverable" | "redeliveries">;
  lastReport?: { path: string; report: StoredCycleReport };
  /** Each ledger entry as cycles against this account have seen it (confirmed, contradicted, unconfirmed). */
  assumptions?: ReturnType<LedgerState["view"]>;
  /** Each kind of irreversible action's canary (confirmed, contradicted, unconfirmed), and whether the canary is on. */
  canaries?: { enabled: boolean; kinds: CanaryView[] };
}

const latestRows = 5;

/**
 * Reads the state directory without changing it and without any credential. No directory where the
 * settings point is an error (StateDirError, exit 2), not "0 cycles": it is nearly always the wrong
 * directory (a relative state_dir read from another working directory).
 */
export async function collectStatus(local: readonly LocalSettings[]): Promise<StateStatus> {
  const { stateDir } = local[0] as LocalSettings;
  const paths = await requireStateDir(stateDir);
  const managedTables: ManagedTableStatus[] = [];
  for (const path of new Set(local.map((settings) => settings.managedTablePath))) {
    const table = await readManagedTable(path);
    managedTables.push({ path, count: table.rows.length, latest: table.rows.slice(-latestRows), warnings: table.warnings });
  }
  const { cycles, managing, pendingIcaDeletes, basespaceRestores, trashedByUs, personDecisions, undeliverable, redeliveries } = (
    await openJournal(paths.journal, { readOnly: true, cyclesPath: paths.cycles })
  ).data;
  const journal = { cycles, managing, pendingIcaDeletes, basespaceRestores, trashedByUs, personDecisions, undeliverable, redeliveries };
  const status: StateStatus = { stateDir: paths.root, managedTables, journal };
  const ledger = await LedgerState.load(paths.root);
  status.assumptions = ledger.view();
  status.canaries = { enabled: (local[0] as LocalSettings).canary === "on", kinds: ledger.canaries.view() };
  const latest = await readLatestReport(paths, cycleReportSchema);
  // The stored plan stays JSON as written (stored-plan.ts); the report table reads only its totals.
  if (latest) status.lastReport = { path: latest.path, report: latest.report };
  return status;
}

const count = (record: Readonly<Record<string, unknown>>): number => Object.keys(record).length;

/** The human-readable status; `renderReport` draws the last cycle's table as `run` printed it. */
export function renderStatus(status: StateStatus, renderReport: (report: StoredCycleReport) => string): string {
  const lines = [`State directory: ${status.stateDir}`];
  for (const table of status.managedTables) {
    lines.push(`Managed analyses: ${table.count} in ${table.path}`);
    for (const row of table.latest) lines.push(`  ${row.analysisId}  ${row.runId}`);
    for (const warning of table.warnings) lines.push(`  ! ${warning}`);
  }
  const { cycles, managing, pendingIcaDeletes, basespaceRestores, trashedByUs, personDecisions, undeliverable, redeliveries } = status.journal;
  const last = cycles.lastCycleId === undefined ? "" : `; last ${cycles.lastCycleId} (finished ${cycles.lastFinishedAt ?? "not yet"})`;
  lines.push(`Cycles run: ${cycles.count}${last}`);
  lines.push("Pending work (journal):");
  lines.push(`  analyses being managed: ${count(managing)}`);
  for (const [analysisId, entry] of Object.entries(managing)) {
    const manifest = entry.manifest ? `, manifest ${entry.manifest.status}` : "";
    lines.push(`    ${analysisId}  next step: ${entry.step}, ${entry.linkedDataIds.length} file(s) linked${manifest}, since ${entry.startedAt}`);
  }
  lines.push(`  analyses held for an operator (mark-managed or redeliver): ${count(undeliverable)}`);
  for (const [analysisId, held] of Object.entries(undeliverable)) lines.push(`    ${analysisId}  ${held.reason} since ${held.since}: ${held.detail}`);
  lines.push(`  redeliveries requested (redeliver), done by the next cycle: ${count(redeliveries)}`);
  for (const [analysisId, request] of Object.entries(redeliveries)) lines.push(`    ${analysisId}  requested ${request.requestedAt}`);
  lines.push(`  ICA data waiting for unarchive before deletion: ${count(pendingIcaDeletes)}`);
  for (const [dataId, pending] of Object.entries(pendingIcaDeletes)) {
    const where = pending.path === undefined ? "" : `  ${pending.path}`;
    lines.push(`    ${dataId}${where}  requested ${pending.unarchiveRequestedAt}`);
  }
  lines.push(`  BaseSpace restores in progress: ${count(basespaceRestores)}`);
  for (const [id, restore] of Object.entries(basespaceRestores)) lines.push(`    ${restore.kind} ${id}  requested ${restore.requestedAt}`);
  lines.push(`  items this tool moved to the BaseSpace trash: ${count(trashedByUs)}`);
  lines.push(`Left alone as a person's decision (\`ica-orchestrator release <id>\` lets the tool act again): ${count(personDecisions)}`);
  for (const [id, decision] of Object.entries(personDecisions)) lines.push(`    ${describeDecision(id, decision)}, seen ${decision.detectedAt}`);
  if (status.assumptions) lines.push(renderLedgerState(status.assumptions).trimEnd());
  if (status.canaries) lines.push(renderCanaries(status.canaries.kinds, status.canaries.enabled).trimEnd());
  if (status.lastReport) {
    lines.push(`Last cycle's report: ${status.lastReport.path}`, "", renderReport(status.lastReport.report).trimEnd());
  } else {
    lines.push("No cycle report yet (dry runs write none).");
  }
  return `${lines.join("\n")}\n`;
}
