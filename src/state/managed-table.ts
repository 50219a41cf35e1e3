import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import {
  formatManagedTable,
  isAnalysisId,
  parseManagedTable,
  type ManagedRow,
  type ParsedManagedTable,
} from "./managed-table-format.js";

export type { ManagedRow, ParsedManagedTable, PreservedLine } from "./managed-table-format.js";
export { managedTableHeader, unknownRunId } from "./managed-table-format.js";

export class ManagedTableError extends Error {
  override name = "ManagedTableError";
}

async function readTableText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "";
    throw new ManagedTableError(
      `cannot read the managed table ${path} (${code ?? String(error)}): check the path given by --analyses_managed_table and its permissions`,
    );
  }
}

/**
 * Reads the managed-analyses table (original tool's format); a missing file is an empty table.
 * Warnings are prefixed with the file path, ready to log.
 */
export async function readManagedTable(path: string): Promise<ParsedManagedTable> {
  const parsed = parseManagedTable(await readTableText(path));
  return { ...parsed, warnings: parsed.warnings.map((warning) => `${path} ${warning}`) };
}

function validateNewRow(row: ManagedRow): void {
  if (!isAnalysisId(row.analysisId)) {
    throw new ManagedTableError(`managed table row rejected: analysis id "${row.analysisId}" is not a uuid`);
  }
  if (row.runId.trim() === "" || /[\r\n]/.test(row.runId)) {
    throw new ManagedTableError(
      `managed table row rejected: run id for ${row.analysisId} is empty or spans lines; use "Unknown" when there is none`,
    );
  }
}

/**
 * Read-modify-write runs one at a time per file within this process, so two concurrent adds cannot
 * lose each other's rows; across processes the state-directory lock keeps cycles apart.
 */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(path: string, task: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/**
 * Adds rows whose analysis id is not yet in the table and returns the ones written. The whole table
 * is rewritten atomically (temp file, fsync, rename) rather than appended to: an append to a file
 * that lost its final newline is exactly what glued rows together in the original tool's tables,
 * a rewrite is all-or-nothing when the process dies mid-write, and it is where recovered rows get
 * their own lines. Preserved (unrecoverable) lines are written back verbatim, in place.
 */
export async function addManagedRows(path: string, rows: readonly ManagedRow[]): Promise<ManagedRow[]> {
  rows.forEach(validateNewRow);
  return serialized(path, async () => {
    const table = parseManagedTable(await readTableText(path));
    const added: ManagedRow[] = [];
    for (const row of rows) {
      const id = row.analysisId.toLowerCase();
      if (table.ids.has(id)) continue;
      table.ids.add(id);
      added.push(row);
    }
    if (added.length === 0) return added;
    const entries = [...table.entries, ...added.map((row) => ({ kind: "row" as const, row, line: 0 }))];
    try {
      await writeFileAtomic(path, formatManagedTable(entries));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A rename cannot replace a file bind-mounted on its own (Docker `-v table.txt:/…`).
      const fix = code === "EBUSY" ? "mount its directory rather than the file itself" : "make its directory writable";
      throw new ManagedTableError(`cannot write the managed table ${path} (${code ?? String(error)}): ${fix}`);
    }
    return added;
  });
}
