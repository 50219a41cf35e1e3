import type { FastqSelection } from "./fastq-selection.js";
import { noMgiFastqWarning } from "./fastq-selection.js";
import { idsToLink, type ManifestState } from "./link-progress.js";
import { manifestFileName, manifestPath, renderManifest } from "./manifest.js";
import type { SourceAnalysis } from "./new-analyses.js";
import type { PlanItem, StepPlan } from "./plan-types.js";

export interface ManageAnalysisInput {
  analysis: Pick<SourceAnalysis, "id" | "reference">;
  selection: FastqSelection;
  /** Journal: ids linked by an earlier cycle's batch. */
  linkedBefore: ReadonlySet<string>;
  manifest: ManifestState;
  destinationProjectId: string;
}

export interface ManageNewInput {
  analyses: readonly ManageAnalysisInput[];
  pending: readonly SourceAnalysis[];
  failed: readonly SourceAnalysis[];
}

/**
 * What step 3 would do: per new analysis, link the FASTQs not linked yet, upload (or replace the
 * incomplete upload of) its manifest, and record it; plus why pending and failed analyses are left.
 */
export function planManageNew(input: ManageNewInput): StepPlan {
  const items: PlanItem[] = input.analyses.flatMap(planManageAnalysis);
  for (const analysis of input.pending) {
    items.push(analysisItem(analysis, "wait", `BCLConvert analysis is ${analysis.status}; managed once SUCCEEDED`));
  }
  for (const analysis of input.failed) {
    items.push(analysisItem(analysis, "skip", `BCLConvert analysis ${analysis.status}; not managed`));
  }
  const warnings = input.analyses
    .map((a) => noMgiFastqWarning(a.analysis.reference, a.selection))
    .filter((warning) => warning !== null);
  return { step: "manageNew", items, warnings };
}

export function planManageAnalysis(input: ManageAnalysisInput): PlanItem[] {
  const { analysis, selection } = input;
  if (selection.selected.length === 0) {
    return [analysisItem(analysis, "record", "no MGI FASTQ; recorded so it is not reconsidered every cycle")];
  }
  const pending = new Set(idsToLink(selection.selected, input.linkedBefore));
  const links = selection.selected
    .filter((file) => pending.has(file.id))
    .map(
      (file): PlanItem => ({
        step: "manageNew",
        action: "link",
        target: { kind: "ica-file", id: file.id, path: file.path, name: file.name },
        analysisId: analysis.id,
        ...(file.sizeBytes === null ? {} : { sizeBytes: file.sizeBytes }),
        reason: "MGI FASTQ not linked into the destination yet",
      }),
    );
  const items = [...links];
  if (input.manifest !== "available") {
    const csv = renderManifest(
      selection.selected.map((f) => ({ name: f.name, path: f.path, dataId: f.id })),
      input.destinationProjectId,
    );
    items.push({
      step: "manageNew",
      action: "upload-manifest",
      target: { kind: "manifest", id: manifestFileName(analysis.reference), path: manifestPath(analysis.reference) },
      analysisId: analysis.id,
      sizeBytes: Buffer.byteLength(csv),
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
