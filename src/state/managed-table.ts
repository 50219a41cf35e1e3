import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  decodeManagedTable,
  encodeForAppend,
  formatRows,
  isAnalysisId,
  managedTableHeader,
  parseManagedTable,
  type ManagedRow,
  type ParsedManagedTable,
  type TableLayout,
} from "./managed-table-format.js";
import { appendFenced, syncDirectory, type Fence } from "./fenced-write.js";

export type { ManagedRow, ParsedManagedTable } from "./managed-table-format.js";
export { unknownRunId } from "./managed-table-format.js";

export class ManagedTableError extends Error {
  override name = "ManagedTableError";
}

async function readTableBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new ManagedTableError(
      `cannot read the managed table ${path} (${code ?? String(error)}): check the path given by --analyses_managed_table and its permissions`,
    );
  }
}

/**
 * Reads the managed-analyses table (original tool's format, any of the encodings it is found in);
 * a missing file is an empty table. Warnings are prefixed with the file path, ready to log.
 */
export async function readManagedTable(path: string): Promise<ParsedManagedTable> {
  const bytes = await readTableBytes(path);
  const parsed = parseManagedTable(bytes === undefined ? "" : decodeManagedTable(bytes).text);
  return { ...parsed, warnings: parsed.warnings.map((warning) => `${path} ${warning}`) };
}

/**
 * The error that stops a cycle before it delivers anything: an analysis named on a line that cannot
 * be read may be managed already, and treating it as new would deliver it a second time.
 */
export function unreadableTableError(path: string, table: ParsedManagedTable): ManagedTableError | undefined {
  const [first, ...more] = table.unreadable;
  if (!first) return undefined;
  const others = more.length > 0 ? ` (and ${more.length} more line(s): ${more.map((l) => l.line).join(", ")})` : "";
  return new ManagedTableError(
    `managed table ${path}:${first.line} cannot be understood: ${first.reason}${others}; nothing is delivered until it is fixed — correct the line to "<analysis uuid>,<run id>" or delete it`,
  );
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
 * Read-modify-append runs one at a time per file within this process, so two concurrent adds cannot
 * write an id twice; across processes the state-directory lock keeps cycles apart.
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

/** The bytes to append: a line ending first if the file lacks its last one (so rows never glue), then the rows. */
function appendText(rows: readonly ManagedRow[], layout: TableLayout | undefined): Buffer {
  if (layout === undefined) return Buffer.from(`${[managedTableHeader.join(","), ...formatRows(rows)].join("\n")}\n`, "utf8");
  const { eol, encoding, endsWithNewline } = layout;
  return encodeForAppend(`${endsWithNewline ? "" : eol}${formatRows(rows).join(eol)}${eol}`, encoding);
}

export interface AddRowsOptions {
  /** Throws when this cycle may no longer write into the state (the lock's fencing check); called right before the append. */
  fence?: Fence;
}

/**
 * Adds rows whose analysis id is not yet in the table and returns the ones written. Rows are only
 * ever appended (one write, fsynced), never rewritten: the table may be the original tool's, shared,
 * or bind-mounted, and what is there stays byte for byte. The append keeps the file's encoding and
 * line ending and starts on a new line even when the last one lacks its newline.
 */
export async function addManagedRows(path: string, rows: readonly ManagedRow[], options: AddRowsOptions = {}): Promise<ManagedRow[]> {
  rows.forEach(validateNewRow);
  return serialized(path, async () => {
    const bytes = await readTableBytes(path);
    const decoded = bytes === undefined || bytes.length === 0 ? undefined : decodeManagedTable(bytes);
    const table = parseManagedTable(decoded?.text ?? "");
    const added: ManagedRow[] = [];
    for (const row of rows) {
      const id = row.analysisId.toLowerCase();
      if (table.ids.has(id)) continue;
      table.ids.add(id);
      added.push(row);
    }
    if (added.length === 0) return added;
    // A UTF-16 file cut mid-character: one byte completes it, so the append stays aligned.
    const realign = decoded && decoded.layout.encoding.startsWith("utf16") && (bytes?.length ?? 0) % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
    try {
      await appendFenced(path, Buffer.concat([realign, appendText(added, decoded?.layout)]), options.fence ?? (() => undefined), 0o644);
      // A new file: its directory entry must survive a crash too.
      if (bytes === undefined) await syncDirectory(dirname(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      throw new ManagedTableError(`cannot write the managed table ${path} (${code ?? String(error)}): make it and its directory writable`);
    }
    return added;
  });
}
