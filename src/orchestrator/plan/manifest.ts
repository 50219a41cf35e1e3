import { stringify } from "csv-stringify/sync";
import type { FastqSelection } from "./fastq-selection.js";
import { compareText } from "./compare-text.js";

/**
 * The `<run_id>.download_manifest.csv` uploaded to `/fastq_manifests/` of the destination project, in the
 * predecessor's format: header `file_name,file_path,data_id,project_id`, one row per linked file, with
 * `project_id` the destination project (where the linked files are read from).
 *
 * csv-stringify (v6, defaults) writes RFC 4180 fields: a field containing the delimiter, a double quote,
 * `\n` or `\r` is enclosed in double quotes and inner quotes are doubled; other fields are written bare.
 * Records end with `\n` (its default `record_delimiter: "unix"`), not RFC 4180's CRLF — the predecessor's
 * files use `\n` and the consumers read them that way; the last record is terminated too.
 * Rows are sorted by file path (then data id) in code-unit order so the same files always give the same
 * bytes, whatever the listing order or the machine's locale.
 */
export const MANIFEST_FOLDER = "/fastq_manifests/";
const MANIFEST_COLUMNS = ["file_name", "file_path", "data_id", "project_id"] as const;

/** @internal exported for the tests */
export interface ManifestEntry {
  name: string;
  path: string;
  dataId: string;
}

/** @internal exported for the tests */
export function renderManifest(entries: readonly ManifestEntry[], destinationProjectId: string): string {
  if (destinationProjectId.trim() === "") throw new Error("manifest needs the destination project id; got an empty one");
  const unique = new Map(entries.map((entry) => [entry.dataId, entry]));
  const rows = [...unique.values()]
    .sort((a, b) => compareText(a.path, b.path) || compareText(a.dataId, b.dataId))
    .map((entry) => [entry.name, entry.path, entry.dataId, destinationProjectId]);
  return stringify(rows, { header: true, columns: [...MANIFEST_COLUMNS], record_delimiter: "unix" });
}

/**
 * `<run_id>.download_manifest.csv`, or `<run_id>.redelivery-<n>.download_manifest.csv` for the n-th redelivery
 * of a run (plan/redelivery.ts). ICA accepts UTF-8 names but recommends `A-Z a-z 0-9 ! - _ . * ' ( )`
 * (help.ica.illumina.com/project/p-data); we keep the strictest useful subset `A-Z a-z 0-9 . _ -` and
 * replace every other character (`/` above all, which would make a path; also spaces, `*` and quotes,
 * which trouble listings filters and shells; control characters) with `_`. Leading dots are replaced too
 * so the name is never hidden or `..`. BCLConvert references only use the kept characters, so distinct
 * run ids keep distinct names in practice.
 */
export function manifestFileName(runId: string, redelivery = 0): string {
  const trimmed = runId.trim();
  if (trimmed === "") throw new Error("manifest name needs a run id (the analysis reference); got an empty one");
  const safe = trimmed.replace(/[^A-Za-z0-9._-]/gu, "_").replace(/^\.+/, (dots) => "_".repeat(dots.length));
  // A redelivery (`redeliver`) gets a name of its own: what the recipient already has is never overwritten.
  return `${safe}${redelivery > 0 ? `.redelivery-${redelivery}` : ""}.download_manifest.csv`;
}

/** The manifest of an analysis' FASTQ selection, as linked into the destination project. */
export function manifestFor(selection: Pick<FastqSelection, "selected">, destinationProjectId: string): string {
  return renderManifest(
    selection.selected.map((f) => ({ name: f.name, path: f.path, dataId: f.id })),
    destinationProjectId,
  );
}

/** Where the manifest of a run lives in the destination project (the state directory keeps a copy: state/manifestPath). */
export function icaManifestPath(runId: string, redelivery = 0): string {
  return `${MANIFEST_FOLDER}${manifestFileName(runId, redelivery)}`;
}
