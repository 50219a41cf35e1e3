import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

/** The header the original tool writes and checks for (`line[0] != "analysis_id_managed"`). */
export const managedTableHeader = ["analysis_id_managed", "run_id"] as const;

/** What the original tool writes when an analysis has no reference. */
export const unknownRunId = "Unknown";

const uuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const uuidOnly = new RegExp(`^${uuid}$`);
/**
 * Where a row starts: an analysis id followed by a comma. Because the id's first group is exactly
 * eight hex digits before a dash, the match is unambiguous even when the previous row's run id ends
 * in hex digits (references end with the analysis uuid).
 */
const rowStart = new RegExp(`${uuid},`, "g");

export interface ManagedRow {
  analysisId: string;
  runId: string;
}

/** A line kept exactly as found because no row could be recovered from it. */
export interface PreservedLine {
  line: number;
  text: string;
}

export type TableEntry = { kind: "row"; row: ManagedRow; line: number } | ({ kind: "preserved" } & PreservedLine);

export interface ParsedManagedTable {
  /** Rows and preserved lines in file order (header and blank lines excluded); a rewrite emits these. */
  entries: TableEntry[];
  rows: ManagedRow[];
  /** Managed analysis ids, lower-cased (ICA ids are lower-case; a hand edit may not be). */
  ids: Set<string>;
  preserved: PreservedLine[];
  /** One line each, starting with `line N:`. */
  warnings: string[];
}

export function isAnalysisId(value: string): boolean {
  return uuidOnly.test(value);
}

/** What csv-parse's `trim` removes around a field. */
const fieldPadding = /^[ \t\f\r\n]+|[ \t\f\r\n]+$/g;

function splitFields(line: string): string[] | undefined {
  // Without a quote a line is its commas: csv-parse would say the same, at 50 times the cost of a
  // split (a 10,000-row table took 0.6 s to read, every cycle).
  if (!line.includes('"')) return line.split(",").map((field) => field.replace(fieldPadding, ""));
  try {
    const records = parse(line, { relax_quotes: true, relax_column_count: true, trim: true }) as string[][];
    return records[0] ?? [];
  } catch {
    return undefined;
  }
}

/** `<uuid1>,<ref1><uuid2>,<ref2>` — the original tool appended to a file that lacked its final newline. */
function splitGluedRows(line: string): ManagedRow[] | undefined {
  const starts = [...line.matchAll(rowStart)].map((m) => m.index);
  if (starts[0] !== 0 || starts.length < 2) return undefined;
  const rows: ManagedRow[] = [];
  for (const [i, start] of starts.entries()) {
    const segment = line.slice(start, starts[i + 1] ?? line.length);
    const comma = segment.indexOf(",");
    const runId = segment.slice(comma + 1).trim();
    if (runId === "" || runId.includes(",")) return undefined;
    rows.push({ analysisId: segment.slice(0, comma), runId });
  }
  return rows;
}

type LineResult = { rows: ManagedRow[]; warning?: string } | { preserve: string };

function interpretLine(text: string): LineResult {
  const fields = splitFields(text);
  if (fields === undefined) return { preserve: "not valid CSV" };
  const [first = "", second, ...rest] = fields;
  if (isAnalysisId(first) && rest.length === 0) {
    if (second === undefined || second === "") {
      return { rows: [{ analysisId: first, runId: unknownRunId }], warning: `no run id; recorded as ${unknownRunId}` };
    }
    return { rows: [{ analysisId: first, runId: second }] };
  }
  const glued = splitGluedRows(text.trim());
  if (glued !== undefined) {
    const ids = glued.map((row) => row.analysisId).join(", ");
    return { rows: glued, warning: `${glued.length} rows glued on one line (a missing newline); recovered ${ids}` };
  }
  return { preserve: `expected "<analysis uuid>,<run id>", found ${fields.length} field(s)` };
}

/**
 * Reads the managed-analyses table tolerantly. Rows that can be recovered are, with a warning naming
 * the line; lines that cannot are returned in `preserved` and in `entries`, so a rewrite keeps them
 * verbatim: an existing row is never dropped.
 */
export function parseManagedTable(text: string): ParsedManagedTable {
  const result: ParsedManagedTable = { entries: [], rows: [], ids: new Set(), preserved: [], warnings: [] };
  const firstLineOf = new Map<string, number>();
  let sawHeader = false;
  let sawContent = false;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === "") continue;
    const isHeader = raw.trim().toLowerCase().startsWith(managedTableHeader[0]);
    if (isHeader) {
      if (sawHeader || sawContent) result.warnings.push(`line ${line}: repeated header line skipped`);
      sawHeader = true;
      continue;
    }
    if (!sawContent && !sawHeader) result.warnings.push(`line ${line}: no header line; it is added on the next write`);
    sawContent = true;
    const interpreted = interpretLine(raw);
    if ("preserve" in interpreted) {
      const preserved = { line, text: raw };
      result.entries.push({ kind: "preserved", ...preserved });
      result.preserved.push(preserved);
      result.warnings.push(`line ${line}: ${interpreted.preserve}; kept verbatim and not treated as managed`);
      continue;
    }
    if (interpreted.warning !== undefined) result.warnings.push(`line ${line}: ${interpreted.warning}`);
    for (const row of interpreted.rows) {
      const id = row.analysisId.toLowerCase();
      const earlier = firstLineOf.get(id);
      if (earlier !== undefined) result.warnings.push(`line ${line}: ${row.analysisId} already listed on line ${earlier}`);
      else firstLineOf.set(id, line);
      result.entries.push({ kind: "row", row, line });
      result.rows.push(row);
      result.ids.add(id);
    }
  }
  return result;
}

/** The file text for `entries`: header, then rows and preserved lines in order, LF endings, final newline. */
export function formatManagedTable(entries: readonly TableEntry[]): string {
  const lines = [managedTableHeader.join(",")];
  for (const entry of entries) {
    lines.push(
      entry.kind === "row" ? stringify([[entry.row.analysisId, entry.row.runId]], { eof: false }) : entry.text,
    );
  }
  return `${lines.join("\n")}\n`;
}
