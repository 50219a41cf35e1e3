import type { IcaAnalysis, IcaData } from "../../../ica/schemas.js";
import { forEachFileUnder, OutputFolderNotFoundError } from "../../../modules/outputs/index.js";
import { noteCollected } from "../../contradictions.js";
import type { CycleContext } from "../../cycle-context.js";
import type { ListedCycle } from "../../cycle-facts.js";
import { sourceAvailableUntil } from "../../plan/available-until.js";
import { manifestFor } from "../../plan/manifest.js";
import { createFastqSelector, type FastqSelection, type FastqSelector } from "../../plan/fastq-selection.js";
import type { DestinationFile } from "../../plan/link-progress.js";
import type { ManifestName } from "../../plan/redelivery.js";
import type { StepRecorder } from "../../step-recorder.js";

/** A new analysis on its way into the managed table, with what the cycle has learnt about it. */
export interface Candidate {
  analysis: IcaAnalysis;
  /** An earlier cycle started managing it (the journal has an entry): this cycle resumes it. */
  resumed: boolean;
  /** An operator asked for it (`redeliver`): delivered even if in the table, with what remains of its FASTQs. */
  redelivery: boolean;
  /** The manifest it uploads: its own run id's original name, unless a redelivery (plan/redelivery.ts). */
  manifestName: ManifestName;
  /** null: the analysis has no output folder (any more), so nothing to link: it is recorded with a warning. */
  folder: IcaData | null;
  selection: FastqSelection;
  /** Selected files the destination already lists. */
  linkedBefore: Set<string>;
  /**
   * Paths of selected files the destination holds as other data (looked up with linkedBefore): linking
   * would put a second FASTQ at the path, so the analysis is not linked while any is taken.
   */
  occupied: string[];
  /**
   * FASTQs an earlier cycle selected (journal) that the source no longer offers: the analysis is not
   * recorded with fewer files than it had, but held for an operator — unless it is a redelivery,
   * which delivers what remains (`redeliver`; `mark-managed` records it undelivered).
   */
  missing: Array<{ id: string; name: string; path: string }>;
  /** The manifest CSV of the selection, rendered once: the plan sizes it, the upload sends it ("" without a folder: nothing to list). */
  manifestCsv: string;
}

/**
 * The MGI FASTQ selection of each analysis: output folders (see OutputFolders), then the files of
 * all of them streamed through one multi-folder listing, each file fed to its analysis' selector
 * (only FASTQs are kept, as the fields the manifest and the checks need).
 */
export async function selectCandidates(
  ctx: ListedCycle,
  analyses: ReadonlyArray<{ analysis: IcaAnalysis; resumed: boolean; redelivery: boolean }>,
  rec: StepRecorder,
): Promise<Candidate[]> {
  const folders = await ctx.outputFolders.of(analyses.map((a) => a.analysis));
  noteCollected(ctx, rec, ctx.outputFolders.contradictions);
  const selectors = new Map<string, FastqSelector>();
  const withFolders: Array<{ analysis: IcaAnalysis; resumed: boolean; redelivery: boolean; manifestName: ManifestName; folder: IcaData }> = [];
  const withoutFolder: Candidate[] = [];
  for (const { analysis, resumed, redelivery } of analyses) {
    // A redelivery's manifest is named by redelivery-manifests.ts, or by the cycle that started it.
    const manifestName = ctx.journal.data.redeliveries[analysis.id]?.manifest ?? { runId: analysis.reference, redelivery: 0 };
    const folder = folders.get(analysis.id);
    if (folder instanceof OutputFolderNotFoundError) {
      // A SUCCEEDED analysis without outputs has nothing to deliver, now or later.
      rec.warn(`${analysis.reference}: ${folder.message}; nothing to deliver`, { key: "no output folder: nothing to deliver", analysisId: analysis.id });
      withoutFolder.push({
        analysis,
        resumed,
        redelivery,
        manifestName,
        folder: null,
        selection: { selected: [], seenFastqs: [] },
        linkedBefore: new Set(),
        occupied: [],
        missing: missingFromSource(ctx, analysis.id, []),
        manifestCsv: "",
      });
    } else if (folder === undefined || folder instanceof Error) {
      rec.error(`${analysis.reference}: cannot list its FASTQs: ${folder?.message ?? "no output folder"}; tried again next cycle`);
    } else {
      selectors.set(analysis.id, createFastqSelector({ pattern: ctx.settings.fastqPattern, suffixes: ctx.settings.fastqSuffixes }));
      withFolders.push({ analysis, resumed, redelivery, manifestName, folder });
    }
  }
  // Every file of the folder passes by, so its size is summed here: the lifecycle's plan and cost need
  // it later, and ICA gives folders no size.
  const folderBytes = new Map<string, number>();
  await forEachFileUnder(
    ctx.ica,
    ctx.projects.source.id,
    withFolders.map(({ analysis, folder }) => ({ key: analysis.id, path: folder.path })),
    (analysisId, file) => {
      folderBytes.set(analysisId, (folderBytes.get(analysisId) ?? 0) + (file.sizeBytes ?? 0));
      selectors.get(analysisId)?.add({ id: file.id, name: file.name, path: file.path, sizeBytes: file.sizeBytes, objectETag: file.objectETag });
    },
  );
  for (const [analysisId, bytes] of folderBytes) ctx.journal.recordOutputBytes(analysisId, bytes);
  const candidates: Candidate[] = withFolders.map((c) => {
    const selection = (selectors.get(c.analysis.id) as FastqSelector).result();
    return {
      ...c,
      selection,
      linkedBefore: new Set<string>(),
      occupied: [],
      missing: missingFromSource(ctx, c.analysis.id, selection.selected),
      manifestCsv: manifestOf(ctx, c.analysis, selection),
    };
  });
  // Every analysis with files, not only resumed ones and redeliveries: one whose row was removed by hand
  // or whose journal was lost may be linked already, and the plan must not call those files unlinked nor
  // link them twice. One listing across all folders; an empty destination answers it with one page.
  const known = candidates.filter((c) => c.selection.selected.length > 0);
  if (known.length > 0) {
    const occupied = new Map<string, string[]>();
    const listed = await destinationListing(ctx, ctx.projects.destination.id, known, occupied);
    for (const c of known) {
      c.linkedBefore = new Set((listed.get(c.analysis.id) ?? []).map((f) => f.id));
      c.occupied = occupied.get(c.analysis.id) ?? [];
    }
  }
  return [...candidates, ...withoutFolder];
}

/** The manifest CSV of an analysis' selection, with the paths the selection gives. */
export function manifestOf(ctx: ListedCycle, analysis: IcaAnalysis, selection: Pick<FastqSelection, "selected">): string {
  return manifestFor(selection, {
    destinationProjectId: ctx.projects.destination.id,
    // Counted from when its delivery started (a resumed one keeps the first cycle's time, so the same
    // bytes are rendered again): at most the delivery time itself, so the day is never too late.
    availableUntil: sourceAvailableUntil(analysis, ctx.journal.data.managing[analysis.id]?.startedAt ?? ctx.now, {
      windows: ctx.windows,
      minDaysAfterDelivery: ctx.settings.minDaysAfterDelivery,
    }),
  });
}

function missingFromSource(ctx: CycleContext, analysisId: string, selected: ReadonlyArray<{ id: string }>): Candidate["missing"] {
  const now = new Set(selected.map((file) => file.id));
  return (ctx.journal.data.managing[analysisId]?.selection ?? []).filter((file) => !now.has(file.id));
}

/**
 * The selected files of each candidate that the destination lists, with their sizes. Linked data
 * keeps its path, so one multi-folder listing of the destination under the source folders' paths
 * finds them; when `occupied` is given it gets, by analysis, the selected paths held by other data.
 */
export async function destinationListing(
  ctx: CycleContext,
  destinationId: string,
  candidates: readonly Candidate[],
  occupied?: Map<string, string[]>,
): Promise<Map<string, DestinationFile[]>> {
  const wanted = new Map(candidates.map((c) => [c.analysis.id, new Set(c.selection.selected.map((f) => f.id))]));
  const paths = new Map(candidates.map((c) => [c.analysis.id, new Set(c.selection.selected.map((f) => f.path))]));
  const listed = new Map<string, DestinationFile[]>(candidates.map((c) => [c.analysis.id, []]));
  await forEachFileUnder(
    ctx.ica,
    destinationId,
    candidates.flatMap((c) => (c.folder ? [{ key: c.analysis.id, path: c.folder.path }] : [])),
    (analysisId, file) => {
      if (wanted.get(analysisId)?.has(file.id)) listed.get(analysisId)?.push({ id: file.id, sizeBytes: file.sizeBytes });
      else if (occupied && paths.get(analysisId)?.has(file.path)) occupied.set(analysisId, [...(occupied.get(analysisId) ?? []), file.path]);
    },
  );
  return listed;
}
