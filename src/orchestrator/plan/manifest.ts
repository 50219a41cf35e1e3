import { stringify } from "csv-stringify/sync";
import type { FastqSelection, FileRecord } from "./fastq-selection.js";
import { compareText } from "./compare-text.js";
import { parseIlluminaName } from "./illumina-name.js";

/**
 * The `<run_id>.download_manifest.csv` uploaded to `/fastq_manifests/` of the destination project. The
 * predecessor's four columns come first and in order, `file_name,file_path,data_id,project_id` (scripts
 * read them by name or by position), with `project_id` the destination project (where the linked files are
 * read from). After them, for the recipient to verify and plan a download:
 * - `size_bytes`: ICA's `fileSizeInBytes`;
 * - `checksum`: ICA's `objectETag` (quotes removed), and `checksum_type`: `md5` when it is a plain MD5 (32
 *   hex digits), `s3-multipart-etag` otherwise (`<md5 of the part MD5s>-<parts>`, which needs the upload's
 *   part size to recompute); both empty when ICA gave none;
 * - `available_until`: the day (UTC, `YYYY-MM-DD`) from which the tool may archive or delete the source,
 *   taking the linked file with it (available-until.ts); the same for every row of one analysis. A day, not
 *   an instant: a cycle resumed (or replayed) later the same day renders the same bytes;
 * - `sample`, `lane`, `read`: parsed from the Illumina file name (illumina-name.ts); empty when it does not parse.
 *
 * csv-stringify (v6, defaults) writes RFC 4180 fields: a field containing the delimiter, a double quote,
 * `\n` or `\r` is enclosed in double quotes and inner quotes are doubled; other fields are written bare.
 * Records end with `\n` (its default `record_delimiter: "unix"`), not RFC 4180's CRLF — the predecessor's
 * files use `\n` and the consumers read them that way; the last record is terminated too.
 * Rows are sorted by file path (then data id) in code-unit order so the same files always give the same
 * bytes, whatever the listing order or the machine's locale.
 */
export const MANIFEST_FOLDER = "/fastq_manifests/";
const MANIFEST_COLUMNS = [
  "file_name",
  "file_path",
  "data_id",
  "project_id",
  "size_bytes",
  "checksum",
  "checksum_type",
  "available_until",
  "sample",
  "lane",
  "read",
] as const;

/** @internal exported for the tests */
export interface ManifestEntry {
  name: string;
  path: string;
  dataId: string;
  sizeBytes?: number | null;
  objectETag?: string | null;
}

/** What every row of one analysis' manifest shares. */
export interface ManifestContext {
  destinationProjectId: string;
  /** sourceAvailableUntil() of the analysis. */
  availableUntil: Date;
}

/** `checksum` and `checksum_type` from ICA's objectETag. */
function checksumColumns(objectETag: string | null | undefined): [string, string] {
  const checksum = (objectETag ?? "").trim().replace(/^"(.*)"$/, "$1");
  if (checksum === "") return ["", ""];
  return [checksum, /^[0-9a-f]{32}$/i.test(checksum) ? "md5" : "s3-multipart-etag"];
}

/** `2025-06-10`: the UTC day. */
const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** @internal exported for the tests */
export function renderManifest(entries: readonly ManifestEntry[], context: ManifestContext): string {
  const { destinationProjectId } = context;
  if (destinationProjectId.trim() === "") throw new Error("manifest needs the destination project id; got an empty one");
  const availableUntil = utcDay(context.availableUntil);
  const unique = new Map(entries.map((entry) => [entry.dataId, entry]));
  const rows = [...unique.values()]
    .sort((a, b) => compareText(a.path, b.path) || compareText(a.dataId, b.dataId))
    .map((entry) => {
      const parsed = parseIlluminaName(entry.name);
      return [
        entry.name,
        entry.path,
        entry.dataId,
        destinationProjectId,
        entry.sizeBytes === null || entry.sizeBytes === undefined ? "" : String(entry.sizeBytes),
        ...checksumColumns(entry.objectETag),
        availableUntil,
        parsed?.sample ?? "",
        parsed?.lane ?? "",
        parsed?.read ?? "",
      ];
    });
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
export function manifestFor(selection: Pick<FastqSelection, "selected">, context: ManifestContext): string {
  return renderManifest(selection.selected.map(manifestEntryOf), context);
}

const manifestEntryOf = (f: FileRecord): ManifestEntry => ({ name: f.name, path: f.path, dataId: f.id, sizeBytes: f.sizeBytes, objectETag: f.objectETag });

/** Where the manifest of a run lives in the destination project (the state directory keeps a copy: state/manifestPath). */
export function icaManifestPath(runId: string, redelivery = 0): string {
  return `${MANIFEST_FOLDER}${manifestFileName(runId, redelivery)}`;
}
