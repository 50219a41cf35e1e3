/**
 * Which FASTQs of a BCLConvert analysis are MGI's and get linked.
 *
 * A FASTQ is a file whose name ends in one of `fastq_suffixes` (any case; default `.fastq`, `.fastq.gz`,
 * `.fq`, `.fq.gz` and DRAGEN ORA's `.fastq.ora`, the NovaSeq X default). It is selected when its name
 * matches `fastq_pattern` (default: starts with `M`, case-sensitive — the predecessor demanded exactly
 * `M-…`; the issue widens it to any `M…`). `Undetermined*` (any case) is never selected, whatever the
 * pattern says: those reads belong to no sample.
 */
import type { UserPattern } from "../../config/user-pattern.js";

/** The fields of an ICA data item this needs (the ICA client's `IcaData` fits as is). */
export interface FileRecord {
  id: string;
  name: string;
  path: string;
  sizeBytes: number | null;
  /** ICA's `objectETag` (the manifest's checksum); absent or null when ICA gave none. */
  objectETag?: string | null;
}

export interface FastqSelection {
  /** MGI FASTQs to link, in input order, each id once. */
  selected: FileRecord[];
  /** Every FASTQ seen (selected or not), for the "no MGI FASTQ" warning. */
  seenFastqs: FileRecord[];
}

const DEFAULT_FASTQ_PATTERN = /^M/;
/** Every FASTQ form the instruments and DRAGEN write (`fastq_suffixes`' default). */
const DEFAULT_FASTQ_SUFFIXES: readonly string[] = [".fastq", ".fastq.gz", ".fq", ".fq.gz", ".fastq.ora"];

const UNDETERMINED = /^undetermined/i;

function isFastqName(name: string, suffixes: readonly string[] = DEFAULT_FASTQ_SUFFIXES): boolean {
  const lower = name.toLowerCase();
  return suffixes.some((suffix) => lower.endsWith(suffix.toLowerCase()));
}

/** What makes a file a selected FASTQ: the name pattern and the FASTQ suffixes. */
export interface FastqRule {
  pattern?: UserPattern;
  suffixes?: readonly string[];
}

/** A pure predicate on the file name. */
export function fastqMatcher(pattern: UserPattern = DEFAULT_FASTQ_PATTERN, suffixes?: readonly string[]): (name: string) => boolean {
  // Settings refuse g/y flags (a RegExp with them keeps lastIndex between test() calls).
  return (name) => isFastqName(name, suffixes) && !UNDETERMINED.test(name) && pattern.test(name);
}

/** @internal exported for the tests */
export function selectFastqs(files: Iterable<FileRecord>, rule: FastqRule = {}): FastqSelection {
  const selector = createFastqSelector(rule);
  for (const file of files) selector.add(file);
  return selector.result();
}

/**
 * For the streamed listing of an analysis' outputs: nothing is held but the FASTQs.
 * @internal exported for the tests
 */
export async function selectFastqsFromStream(files: AsyncIterable<FileRecord>, rule: FastqRule = {}): Promise<FastqSelection> {
  const selector = createFastqSelector(rule);
  for await (const file of files) selector.add(file);
  return selector.result();
}

export interface FastqSelector {
  add(file: FileRecord): void;
  result(): FastqSelection;
}

/** The selection fed one file at a time, for a listing shared by several analyses (one selector each). */
export function createFastqSelector({ pattern, suffixes }: FastqRule = {}): FastqSelector {
  const matches = fastqMatcher(pattern, suffixes);
  const seen = new Map<string, FileRecord>();
  const selected: FileRecord[] = [];
  return {
    add(file: FileRecord) {
      // Paged listings can repeat an item across a page boundary; a file counts once.
      if (!isFastqName(file.name, suffixes) || seen.has(file.id)) return;
      seen.set(file.id, file);
      if (matches(file.name)) selected.push(file);
    },
    result: (): FastqSelection => ({ selected, seenFastqs: [...seen.values()] }),
  };
}

/**
 * Why an analysis has nothing to deliver, or null when it has. Such an analysis is never recorded as
 * managed by itself: it is held (not archived or deleted) until an operator runs `mark-managed` or a
 * wider `fastq_pattern` / `fastq_suffixes` lets it deliver (`redeliver` has nothing to deliver either).
 */
export function noMgiFastqWarning({ id, reference }: { id: string; reference: string }, selection: FastqSelection): string | null {
  if (selection.selected.length > 0) return null;
  const names = selection.seenFastqs.map((f) => f.name);
  const seen = names.length === 0 ? "no recognisable FASTQ at all" : `${names.length} FASTQ(s), none matching fastq_pattern: ${names.slice(0, 20).join(", ")}`;
  return `no MGI FASTQ in ${reference} (saw ${seen}${names.length > 20 ? ", …" : ""}); not recorded and held from archive and delete: widen fastq_pattern or fastq_suffixes, or run mark-managed ${id}`;
}
