import { COSMETIC } from "./assumptions.js";
import { stableUuid } from "./ids.js";

/** ICA detects a file's format from its name; these are the formats a sequencing core's data has. */
const formatsBySuffix: ReadonlyArray<readonly [suffix: string, code: string, mimeType: string]> = [
  [".fastq.gz", "FASTQ", "application/gzip"],
  [".fq.gz", "FASTQ", "application/gzip"],
  [".fastq", "FASTQ", "text/plain"],
  [".ora", "ORA", "application/octet-stream"],
  [".bam", "BAM", "application/octet-stream"],
  [".cram", "CRAM", "application/octet-stream"],
  [".vcf.gz", "VCF", "application/gzip"],
  [".vcf", "VCF", "text/plain"],
  [".csv", "CSV", "text/csv"],
  [".tsv", "TSV", "text/tab-separated-values"],
  [".json", "JSON", "application/json"],
  [".html", "HTML", "text/html"],
  [".txt", "TXT", "text/plain"],
];

const unknownFormat = "UNKNOWN";

/** The format of a file, from its lower-cased name or path. */
export function formatCodeFor(lowerName: string): string {
  return formatsBySuffix.find(([suffix]) => lowerName.endsWith(suffix))?.[1] ?? unknownFormat;
}

const mimeTypes = new Map(formatsBySuffix.map(([, code, mime]) => [code, mime]));

/** A `DataFormat` (spec L13803) — platform-owned, so its ids and times are fixed. */
export function dataFormat(code: string): Record<string, unknown> {
  let format = formats.get(code);
  if (!format) formats.set(code, (format = buildFormat(code)));
  return format;
}

const formats = new Map<string, Record<string, unknown>>();

function buildFormat(code: string): Record<string, unknown> {
  return {
    id: stableUuid("format", code),
    timeCreated: COSMETIC.platformTimeIso,
    timeModified: COSMETIC.platformTimeIso,
    ownerId: COSMETIC.platformTenantId,
    tenantId: COSMETIC.platformTenantId,
    code,
    description: `${code} format`,
    mimeType: mimeTypes.get(code) ?? "application/octet-stream",
  };
}
