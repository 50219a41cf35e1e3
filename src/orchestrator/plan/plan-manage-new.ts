import type { FastqSelection } from "./fastq-selection.js";
import { noMgiFastqWarning } from "./fastq-selection.js";
import { idsToLink, type ManifestState } from "./link-progress.js";
import { icaManifestPath, manifestFileName } from "./manifest.js";
import type { SourceAnalysis } from "./new-analyses.js";
import type { ManifestName } from "./redelivery.js";
import type { PlanItem, StepPlan } from "./plan-types.js";
import type { JournalData } from "../../state/index.js";

export interface ManageAnalysisPlanInput {
  analysis: Pick<SourceAnalysis, "id" | "reference">;
  selection: FastqSelection;
  /** Journal: ids linked by an earlier cycle's batch. */
  linkedBefore: ReadonlySet<string>;
  manifest: ManifestState;
  /** Names of FASTQs an earlier cycle selected that the source no longer holds (none when absent). */
  missing?: readonly string[];
  /** Paths of selected FASTQs the destination holds as other data (none when absent or not looked up). */
  occupied?: readonly string[];
  /** The manifest CSV (plan/manifest manifestFor), rendered once by the step: the plan gives its size. */
  manifestCsv: string;
  /**
   * Asked for by `redeliver`: delivered even if in the table, under the manifest name `manifest`
   * (plan/redelivery.ts), with what remains when selected FASTQs are gone.
   */
  redelivery?: { manifest: ManifestName; inTable: boolean };
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
  const warnings = input.analyses.flatMap((a) => heldWarning(a)?.message ?? []);
  return { step: "manageNew", items, warnings };
}

/**
 * Why an analysis is not delivered as selected (paths taken in the destination, FASTQs gone, none
 * at all), with the key its warning is logged under: the same for every analysis of that reason.
 */
export function heldWarning(input: ManageAnalysisPlanInput): { key: string; message: string } | null {
  const { analysis, missing = [], redelivery } = input;
  if (input.occupied?.length) {
    return { key: "not delivered: the destination holds other data at FASTQ paths", message: occupiedPathsMessage(analysis, input.occupied) };
  }
  if (missing.length === 0) {
    const message = noMgiFastqWarning(analysis, input.selection);
    return message === null ? null : { key: "no MGI FASTQ matching fastq_pattern: held (widen it or run mark-managed)", message };
  }
  return redelivery
    ? { key: "redelivered without the selected FASTQs gone from the source", message: leftOutMessage(analysis.reference, missing) }
    : { key: "not delivered: selected FASTQs gone from the source before they were linked", message: missingFastqMessage(analysis, missing) };
}

function planManageAnalysis(input: ManageAnalysisPlanInput): PlanItem[] {
  const { analysis, selection, redelivery } = input;
  if (input.missing?.length && !redelivery) {
    return [analysisItem(analysis, "skip", `${input.missing.length} selected FASTQ(s) gone from the source; held until they are back, redeliver (delivers what remains) or mark-managed`)];
  }
  if (selection.selected.length === 0) {
    return [analysisItem(analysis, "skip", "no recognisable MGI FASTQ; held from archive and delete until mark-managed or it delivers")];
  }
  if (input.occupied?.length) {
    return [analysisItem(analysis, "skip", `${input.occupied.length} FASTQ path(s) taken in the destination by other data; not linked (never two files at one path)`)];
  }
  const manifest = redelivery?.manifest ?? { runId: analysis.reference, redelivery: 0 };
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
      target: { kind: "manifest", id: manifestFileName(manifest.runId, manifest.redelivery), path: icaManifestPath(manifest.runId, manifest.redelivery) },
      analysisId: analysis.id,
      sizeBytes: Buffer.byteLength(input.manifestCsv),
      reason:
        (redelivery ? "redelivery: a manifest of its own, nothing already uploaded is replaced; " : "") +
        (input.manifest === "partial"
          ? `replace the incomplete upload (PARTIAL); ${selection.selected.length} row(s)`
          : `${selection.selected.length} row(s)`),
    });
  }
  items.push(analysisItem(analysis, "record", recordReason(redelivery)));
  return items;
}

function recordReason(redelivery: ManageAnalysisPlanInput["redelivery"]): string {
  if (!redelivery) return "append analysis_id,run_id to the managed table once verified";
  const row = redelivery.inTable ? "its table row is already there" : "append analysis_id,run_id to the managed table";
  return `redelivered on an operator's request (redeliver): ${row}; once verified, the request is cleared and min_days_after_delivery starts again`;
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

const listNames = (names: readonly string[]): string => names.slice(0, 10).join(", ") + (names.length > 10 ? ", …" : "");

/** The error for an analysis whose selected FASTQs vanished before they were linked. */
export function missingFastqMessage({ id, reference }: { id: string; reference: string }, missing: readonly string[]): string {
  return `${reference}: not delivered: ${missing.length} selected FASTQ(s) gone from the source before they were linked (${listNames(missing)}); not recorded: run redeliver ${id} to deliver what remains, put the file(s) back, or run mark-managed ${id}`;
}

/** The error for an analysis some of whose FASTQ paths the destination holds as other data: nothing is linked. */
export function occupiedPathsMessage({ id, reference }: { id: string; reference: string }, paths: readonly string[]): string {
  return `${reference}: not delivered: the destination holds other data at ${paths.length} of its FASTQ path(s) (${listNames(paths)}); nothing linked, so no path holds two files: move or delete that data in the destination, or run mark-managed ${id}`;
}

/** The warning for a redelivery that delivers what remains: the manifest lists only those. */
export function leftOutMessage(reference: string, missing: readonly string[]): string {
  return `${reference}: redelivery without ${missing.length} selected FASTQ(s) gone from the source (${listNames(missing)}); the manifest lists what remains`;
}

/** The plan's `skip` item of each held analysis not looked at again this cycle (resting-holds.ts). */
export function restingItems(resting: ReadonlyArray<Pick<SourceAnalysis, "id" | "reference">>, holds: JournalData["undeliverable"]): PlanItem[] {
  return resting.map((analysis) =>
    analysisItem(
      analysis,
      "skip",
      `no recognisable MGI FASTQ when last looked at (${holds[analysis.id]?.checkedAt ?? "?"}); held from archive and delete until mark-managed or redeliver; looked at again daily or when fastq_pattern or fastq_suffixes change`,
    ),
  );
}
