import { isLinkedItemStatus, type LinkItemResult } from "../../modules/data-transfer/index.js";
import type { FileRecord } from "./fastq-selection.js";

/**
 * Linking one analysis' selected FASTQs into the destination project, across cycles: what still needs
 * linking, what a finished batch achieved, and whether the analysis may now be recorded as managed.
 */

/** Selected ids not yet linked by an earlier batch, in selection order: a re-run links only these. */
export function idsToLink(selected: readonly FileRecord[], linkedBefore: ReadonlySet<string>): string[] {
  return [...new Set(selected.map((file) => file.id))].filter((id) => !linkedBefore.has(id));
}

/** What a linking batch achieved for one analysis' selection. */
export interface LinkAssessment {
  /** Selected ids linked now or before (what the journal keeps). */
  linkedIds: string[];
  /** Items of the batch that ended in anything but LINKED/ALREADY_LINKED. */
  failed: Pick<LinkItemResult, "dataId" | "status">[];
  /** Selected ids neither linked before nor reported by the batch. */
  missing: string[];
  complete: boolean;
}

export function assessLinking(
  selected: readonly FileRecord[],
  linkedBefore: ReadonlySet<string>,
  results: readonly Pick<LinkItemResult, "dataId" | "status">[],
): LinkAssessment {
  const wanted = [...new Set(selected.map((file) => file.id))];
  const linkedNow = new Set(results.filter((r) => isLinkedItemStatus(r.status)).map((r) => r.dataId));
  const isLinked = (id: string) => linkedBefore.has(id) || linkedNow.has(id);
  const linkedIds = wanted.filter(isLinked);
  const failed = results.filter((r) => wanted.includes(r.dataId) && !isLinked(r.dataId));
  const reported = new Set(results.map((r) => r.dataId));
  const missing = wanted.filter((id) => !isLinked(id) && !reported.has(id));
  return { linkedIds, failed, missing, complete: linkedIds.length === wanted.length };
}

/** ICA state of the run's manifest in the destination: none, created but not uploaded, or complete. */
export type ManifestState = "absent" | "partial" | "available";

export interface DestinationFile {
  id: string;
  sizeBytes: number | null;
}

export interface RecordCheckInput {
  selected: readonly FileRecord[];
  linkedIds: Iterable<string>;
  /** The destination project's listing of the linked files. */
  destination: readonly DestinationFile[];
  manifest: ManifestState;
}

export interface RecordReadiness {
  ready: boolean;
  /** One line each, naming what is missing. */
  problems: string[];
}

/**
 * An analysis is appended to the managed table only when every selected file is linked, the destination
 * lists each of them with the same size, and the manifest upload is complete. An analysis without any
 * MGI FASTQ is ready at once (it is recorded so it is not reconsidered every cycle).
 */
export function recordReadiness(input: RecordCheckInput): RecordReadiness {
  if (input.selected.length === 0) return { ready: true, problems: [] };
  const problems = destinationProblems(input);
  if (input.manifest !== "available") problems.push(`manifest upload is not complete (${input.manifest})`);
  return { ready: problems.length === 0, problems };
}

/**
 * The file half of recordReadiness: what keeps the destination from holding every selected file
 * (not linked, not listed, or listed with another size). The cycle checks this before it writes the
 * manifest, so a manifest never names a file the destination lacks.
 */
export function destinationProblems(input: Omit<RecordCheckInput, "manifest">): string[] {
  const problems: string[] = [];
  const linked = new Set(input.linkedIds);
  const notLinked = input.selected.filter((file) => !linked.has(file.id));
  if (notLinked.length > 0) problems.push(`${notLinked.length} file(s) not linked: ${listIds(notLinked)}`);

  const listed = new Map(input.destination.map((file) => [file.id, file]));
  const absent = input.selected.filter((file) => !listed.has(file.id));
  if (absent.length > 0) problems.push(`destination does not list ${absent.length} file(s): ${listIds(absent)}`);
  for (const file of input.selected) {
    const there = listed.get(file.id);
    if (there && there.sizeBytes !== file.sizeBytes) {
      problems.push(
        `size of ${file.id} differs: ${file.sizeBytes ?? "none"} bytes in the source, ${there.sizeBytes ?? "none"} in the destination`,
      );
    }
  }
  return problems;
}

function listIds(files: readonly FileRecord[]): string {
  const shown = files.slice(0, 10).map((file) => file.id);
  return shown.join(", ") + (files.length > 10 ? ` and ${files.length - 10} more` : "");
}
