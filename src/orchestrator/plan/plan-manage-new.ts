import type { FastqSelection } from "./fastq-selection.js";
import { noMgiFastqWarning } from "./fastq-selection.js";
import { idsToLink, type ManifestState } from "./link-progress.js";
import { icaManifestPath, manifestFileName } from "./manifest.js";
import type { SourceAnalysis } from "./new-analyses.js";
import type { PlanItem, StepPlan } from "./plan-types.js";

/** @internal exported for the tests */
export interface ManageAnalysisPlanInput {
  analysis: Pick<SourceAnalysis, "id" | "reference">;
  selection: FastqSelection;
  /** Journal: ids linked by an earlier cycle's batch. */
  linkedBefore: ReadonlySet<string>;
  manifest: ManifestState;
  /** Names of FASTQs an earlier cycle selected that the source no longer holds (none when absent). */
  missing?: readonly string[];
  /** The manifest CSV (plan/manifest manifestFor), rendered once by the step: the plan gives its size. */
  manifestCsv: string;
}

export interface ManageNewPlanInput {
  analyses: readonly ManageAnalysisPlanInput[];
  pending: readonly SourceAnalysis[];
  failed: readonly SourceAnalysis[];
}

/**
 * What step 3 would do: per new analysis, link the FASTQs not linked yet, upload (or replace the
 * incomplete upload of) its manifest, and record it; plus why pending and failed analyses are left.
 */
export function planManageNew(input: ManageNewPlanInput): StepPlan {
  const items: PlanItem[] = input.analyses.flatMap(planManageAnalysis);
  for (const analysis of input.pending) {
    items.push(analysisItem(analysis, "wait", `BCLConvert analysis is ${analysis.status}; managed once SUCCEEDED`));
  }
  for (const analysis of input.failed) {
    items.push(analysisItem(analysis, "skip", `BCLConvert analysis ${analysis.status}; not managed`));
  }
  const warnings = input.analyses
    .map((a) => (a.missing?.length ? missingFastqMessage(a.analysis.reference, a.missing) : noMgiFastqWarning(a.analysis.reference, a.selection)))
    .filter((warning) => warning !== null);
  return { step: "manageNew", items, warnings };
}

function planManageAnalysis(input: ManageAnalysisPlanInput): PlanItem[] {
  const { analysis, selection } = input;
  if (input.missing?.length) {
    return [analysisItem(analysis, "skip", `${input.missing.length} selected FASTQ(s) gone from the source; held until they are back or mark-managed`)];
  }
  if (selection.selected.length === 0) {
    return [analysisItem(analysis, "skip", "no recognisable MGI FASTQ; held from archive and delete until mark-managed or it delivers")];
  }
  const pending = new Set(idsToLink(selection.selected, input.linkedBefore));
  const toLink = selection.selected.filter((file) => pending.has(file.id));
  const items: PlanItem[] = [];
  // One item per analysis, not per file: a first cycle links tens of thousands of FASTQs, which as
  // items made the printed plan unreadable and the stored report tens of megabytes. The manifest
  // lists every file, and the audit log every id linked.
  if (toLink.length > 0) {
    const sizes = toLink.map((file) => file.sizeBytes);
    const known = sizes.every((size) => size !== null);
    items.push({
      ...analysisItem(analysis, "link", `${toLink.length} of ${selection.selected.length} MGI FASTQ(s) not linked into the destination yet`),
      ...(known ? { sizeBytes: sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0) } : {}),
    });
  }
  if (input.manifest !== "available") {
    items.push({
      step: "manageNew",
      action: "upload-manifest",
      target: { kind: "manifest", id: manifestFileName(analysis.reference), path: icaManifestPath(analysis.reference) },
      analysisId: analysis.id,
      sizeBytes: Buffer.byteLength(input.manifestCsv),
      reason:
        input.manifest === "partial"
          ? `replace the incomplete upload (PARTIAL); ${selection.selected.length} row(s)`
          : `${selection.selected.length} row(s)`,
    });
  }
  items.push(analysisItem(analysis, "record", "append analysis_id,run_id to the managed table once verified"));
  return items;
}

function analysisItem(
  analysis: Pick<SourceAnalysis, "id" | "reference">,
  action: PlanItem["action"],
  reason: string,
): PlanItem {
  return {
    step: "manageNew",
    action,
    target: { kind: "analysis", id: analysis.id, name: analysis.reference },
    analysisId: analysis.id,
    reason,
  };
}

/** The error for an analysis whose selected FASTQs vanished before they were linked. */
export function missingFastqMessage(reference: string, missing: readonly string[]): string {
  const names = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
  return `${reference}: not delivered: ${missing.length} selected FASTQ(s) gone from the source before they were linked (${names}); not recorded: put the file(s) back to deliver them, or run mark-managed ${reference}`;
}
