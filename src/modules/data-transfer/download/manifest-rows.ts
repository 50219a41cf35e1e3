import { parse } from "csv-parse/sync";
import { z } from "zod";

/** Input a person has to fix (the manifest, the destination folder, an option): the command exits 2. */
export class DownloadInputError extends Error {
  override name = "DownloadInputError";
}

/** One file a manifest lists. Size and checksum come from the newer manifests' columns, else from ICA. */
export interface ManifestRow {
  fileName: string;
  filePath: string;
  dataId: string;
  projectId: string;
  sizeBytes?: number;
  checksum?: string;
}

/** The original four columns, which every manifest has; later ones are read by name when present. */
const requiredColumns = ["file_name", "file_path", "data_id", "project_id"] as const;

const text = z.string().trim().min(1, "is empty");
const rowSchema = z.object({
  file_name: text.refine((name) => !/[/\\]/.test(name) && name !== "." && name !== "..", "is not a plain file name"),
  file_path: text,
  data_id: text,
  project_id: text,
  size_bytes: z
    .string()
    .trim()
    .regex(/^\d*$/, "is not a whole number of bytes")
    .optional()
    .transform((value) => (value === undefined || value === "" ? undefined : Number(value))),
  checksum: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === "" ? undefined : value)),
});

/**
 * The rows of a `download_manifest.csv`, read by header name so that the original four-column files
 * and the newer ones (size, checksum, availability, sample/lane/read after the first four) both work.
 * A row listed twice is kept once; two different files under one name cannot both be saved, so that
 * is refused, like any unreadable row, with the line to fix.
 */
export function parseManifest(csv: string, source: string): ManifestRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (error) {
    throw new DownloadInputError(`${source} is not a readable CSV (${error instanceof Error ? error.message : String(error)}): pass a download_manifest.csv`);
  }
  const [first] = records;
  if (!first) throw new DownloadInputError(`${source} lists no file: pass a download_manifest.csv with at least one row`);
  const missing = requiredColumns.filter((column) => !(column in first));
  if (missing.length > 0) {
    throw new DownloadInputError(`${source} has no ${missing.join(", ")} column: a download manifest starts with ${requiredColumns.join(",")}`);
  }
  const byName = new Map<string, ManifestRow>();
  records.forEach((record, index) => {
    const line = index + 2;
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DownloadInputError(`${source} line ${line}: ${String(issue?.path[0] ?? "row")} ${issue?.message ?? "is invalid"}`);
    }
    const { file_name, file_path, data_id, project_id, size_bytes, checksum } = parsed.data;
    const row: ManifestRow = {
      fileName: file_name,
      filePath: file_path,
      dataId: data_id,
      projectId: project_id,
      ...(size_bytes !== undefined ? { sizeBytes: size_bytes } : {}),
      ...(checksum !== undefined ? { checksum } : {}),
    };
    const earlier = byName.get(row.fileName);
    if (earlier && earlier.dataId !== row.dataId) {
      throw new DownloadInputError(
        `${source} line ${line}: ${row.fileName} is listed twice with different data ids (${earlier.dataId}, ${row.dataId}); both cannot be saved under one name — split the manifest`,
      );
    }
    byName.set(row.fileName, row);
  });
  return [...byName.values()];
}
