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
/** What an append cut short inside the analysis id leaves: hex digits and dashes, not yet a whole id. */
const idPrefix = /^[0-9a-fA-F-]{1,35}$/;

export interface ManagedRow {
  analysisId: string;
  runId: string;
}

/** A line no row could be read from. */
interface UnreadableLine {
  line: number;
  text: string;
  reason: string;
}

export interface ParsedManagedTable {
  rows: ManagedRow[];
  /** Managed analysis ids, lower-cased (ICA ids are lower-case; a hand edit may not be). */
  ids: Set<string>;
  /** Lines that cannot be understood: the analysis they name may be managed, so a cycle must not deliver. */
  unreadable: UnreadableLine[];
  /** One line each, starting with `line N:`. */
  warnings: string[];
}

/** How the file is stored, so that appended rows match what is already there. */
export interface TableLayout {
  encoding: "utf8" | "utf8-bom" | "utf16le" | "utf16be";
  eol: "\n" | "\r\n";
  /** The file is empty, or ends with a line ending: an append needs none before its first row. */
  endsWithNewline: boolean;
}

export function isAnalysisId(value: string): boolean {
  return uuidOnly.test(value);
}

/** The text of the file and how it is stored; a UTF-16 table (Excel's "Unicode text") has a BOM. */
export function decodeManagedTable(bytes: Buffer): { text: string; layout: TableLayout } {
  const [b0, b1, b2] = bytes;
  let encoding: TableLayout["encoding"] = "utf8";
  if (b0 === 0xff && b1 === 0xfe) encoding = "utf16le";
  else if (b0 === 0xfe && b1 === 0xff) encoding = "utf16be";
  else if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) encoding = "utf8-bom";
  const decoder = new TextDecoder(encoding === "utf16le" ? "utf-16le" : encoding === "utf16be" ? "utf-16be" : "utf-8");
  // TextDecoder drops the BOM itself.
  const text = decoder.decode(bytes);
  // The first line's ending, normally the header's: the one the tool that made the file used.
  const eol = /\r?\n/.exec(text)?.[0] === "\r\n" ? "\r\n" : "\n";
  return { text, layout: { encoding, eol, endsWithNewline: text === "" || /[\r\n]$/.test(text) } };
}

/** `text` in the file's encoding, for an append (no BOM: the file already starts with one). */
export function encodeForAppend(text: string, encoding: TableLayout["encoding"]): Buffer {
  if (encoding === "utf16le") return Buffer.from(text, "utf16le");
  if (encoding === "utf16be") return Buffer.from(text, "utf16le").swap16();
  return Buffer.from(text, "utf8");
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

type LineResult = { rows: ManagedRow[]; warning?: string } | { unreadable: string };

function interpretLine(text: string): LineResult {
  const fields = splitFields(text);
  if (fields === undefined) return { unreadable: "not valid CSV" };
  const [first = "", second = ""] = fields;
  const glued = splitGluedRows(text.trim());
  if (glued !== undefined) {
    const ids = glued.map((row) => row.analysisId).join(", ");
    return { rows: glued, warning: `${glued.length} rows glued on one line (a missing newline); recovered ${ids}` };
  }
  // Columns after the run id (notes, a trailing comma) are a person's: read past them.
  if (isAnalysisId(first)) {
    if (second === "") return { rows: [{ analysisId: first, runId: unknownRunId }], warning: `no run id; recorded as ${unknownRunId}` };
    return { rows: [{ analysisId: first, runId: second }] };
  }
  return { unreadable: `expected "<analysis uuid>,<run id>", found ${JSON.stringify(text.trim().slice(0, 60))}` };
}

/**
 * Reads the managed-analyses table as the original tool and people leave it: CRLF, blank lines,
 * stray spaces, duplicates, extra columns, rows glued by a missing newline (recovered, with a
 * warning naming the line). A line that cannot be understood is returned in `unreadable`; a last
 * line cut short inside its analysis id (an append interrupted by a crash) only warns, since the
 * cycle that wrote it still has the analysis in its journal.
 */
export function parseManagedTable(text: string): ParsedManagedTable {
  const result: ParsedManagedTable = { rows: [], ids: new Set(), unreadable: [], warnings: [] };
  const firstLineOf = new Map<string, number>();
  let sawHeader = false;
  let sawContent = false;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === "") continue;
    if (raw.trim().toLowerCase().startsWith(managedTableHeader[0])) {
      if (sawHeader || sawContent) result.warnings.push(`line ${line}: repeated header line skipped`);
      sawHeader = true;
      continue;
    }
    if (!sawContent && !sawHeader) result.warnings.push(`line ${line}: no header line`);
    sawContent = true;
    const interpreted = interpretLine(raw);
    if ("unreadable" in interpreted) {
      if (index === lines.length - 1 && idPrefix.test(raw.trim())) {
        result.warnings.push(`line ${line}: an interrupted append left part of an analysis id; ignored`);
      } else {
        result.unreadable.push({ line, text: raw, reason: interpreted.unreadable });
      }
      continue;
    }
    if (interpreted.warning !== undefined) result.warnings.push(`line ${line}: ${interpreted.warning}`);
    for (const row of interpreted.rows) {
      const id = row.analysisId.toLowerCase();
      const earlier = firstLineOf.get(id);
      if (earlier !== undefined) result.warnings.push(`line ${line}: ${row.analysisId} already listed on line ${earlier}`);
      else firstLineOf.set(id, line);
      result.rows.push(row);
      result.ids.add(id);
    }
  }
  return result;
}

/** The lines for `rows`, as CSV (a run id with a comma or quote is quoted). */
export function formatRows(rows: readonly ManagedRow[]): string[] {
  return rows.map((row) => stringify([[row.analysisId, row.runId]], { eof: false }));
}
