/**
 * Which FASTQs of a BCLConvert analysis are MGI's and get linked.
 *
 * A FASTQ is a file whose name ends in `.fastq.gz`, `.fq.gz` or `.fastq` (any case). It is selected when
 * its name matches `fastq_pattern` (default: starts with `M`, case-sensitive — the predecessor demanded
 * exactly `M-…`; the issue widens it to any `M…`). `Undetermined*` (any case) is never selected, whatever
 * the pattern says: those reads belong to no sample.
 */
import type { UserPattern } from "../../config/user-pattern.js";

/** The fields of an ICA data item this needs (the ICA client's `IcaData` fits as is). */
export interface FileRecord {
  id: string;
  name: string;
  path: string;
  sizeBytes: number | null;
}

export interface FastqSelection {
  /** MGI FASTQs to link, in input order, each id once. */
  selected: FileRecord[];
  /** Every FASTQ seen (selected or not), for the "no MGI FASTQ" warning. */
  seenFastqs: FileRecord[];
}

export const DEFAULT_FASTQ_PATTERN = /^M/;

const FASTQ_NAME = /\.(fastq\.gz|fq\.gz|fastq)$/i;
const UNDETERMINED = /^undetermined/i;

export function isFastqName(name: string): boolean {
  return FASTQ_NAME.test(name);
}

/** A pure predicate on the file name. */
export function fastqMatcher(pattern: UserPattern = DEFAULT_FASTQ_PATTERN): (name: string) => boolean {
  // Settings refuse g/y flags (a RegExp with them keeps lastIndex between test() calls).
  return (name) => isFastqName(name) && !UNDETERMINED.test(name) && pattern.test(name);
}

export function selectFastqs(files: Iterable<FileRecord>, pattern?: UserPattern): FastqSelection {
  const selector = createFastqSelector(pattern);
  for (const file of files) selector.add(file);
  return selector.result();
}

/** For the streamed listing of an analysis' outputs: nothing is held but the FASTQs. */
export async function selectFastqsFromStream(files: AsyncIterable<FileRecord>, pattern?: UserPattern): Promise<FastqSelection> {
  const selector = createFastqSelector(pattern);
  for await (const file of files) selector.add(file);
  return selector.result();
}

export interface FastqSelector {
  add(file: FileRecord): void;
  result(): FastqSelection;
}

/** The selection fed one file at a time, for a listing shared by several analyses (one selector each). */
export function createFastqSelector(pattern?: UserPattern): FastqSelector {
  const matches = fastqMatcher(pattern);
  const seen = new Map<string, FileRecord>();
  const selected: FileRecord[] = [];
  return {
    add(file: FileRecord) {
      // Paged listings can repeat an item across a page boundary; a file counts once.
      if (!isFastqName(file.name) || seen.has(file.id)) return;
      seen.set(file.id, file);
      if (matches(file.name)) selected.push(file);
    },
    result: (): FastqSelection => ({ selected, seenFastqs: [...seen.values()] }),
  };
}

/** The warning for an analysis that is recorded without linking anything. */
export function noMgiFastqWarning(reference: string, selection: FastqSelection): string | null {
  if (selection.selected.length > 0) return null;
  const names = selection.seenFastqs.map((f) => f.name);
  const seen = names.length === 0 ? "no FASTQ at all" : `${names.length} FASTQ(s): ${names.slice(0, 20).join(", ")}`;
  return `no MGI FASTQ in ${reference} (saw ${seen}${names.length > 20 ? ", …" : ""}); recorded as managed without linking`;
}
