import type { IcaAnalysis, IcaData } from "../../ica/schemas.js";
import { analysisStateOf } from "../../modules/monitor/index.js";
import { twoGateLimit } from "../../modules/data-transfer/index.js";
import {
  findMarkerFiles,
  markerFileNames,
  OutputFolderNotFoundError,
  readBsshOutputProjects,
  type MarkerFiles,
} from "../../modules/outputs/index.js";
import type { CycleContext } from "../cycle-context.js";
import type { ListedCycle } from "../cycle-facts.js";
import { analysisAgeDays, isAged } from "../plan/age.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { failureFactOf } from "../failure-facts.js";

/**
 * Step 4: who manages each aged analysis (any pipeline), looked up once and remembered in the
 * journal: BaseSpace if its output holds `bsshoutput.json` (whose BaseSpace project names are read),
 * ICA if it holds `_tags.json`, otherwise "cannot determine" — reported, and never touched. Only
 * finished analyses are classified: a running one's outputs are still being written.
 */
export async function classifyAged(ctx: ListedCycle, rec: StepRecorder): Promise<void> {
  const sourceId = ctx.projects.source.id;
  const aged = ctx.analyses.filter(
    (a) => analysisStateOf(a.status) !== "pending" && isAged(analysisAgeDays(a, ctx.now), ctx.windows),
  );
  const known = aged.filter((a) => ctx.journal.data.classifications[a.id] !== undefined);
  rec.count("aged", aged.length);
  rec.count("known", known.length);
  rec.count("undetermined", known.filter((a) => ctx.journal.data.classifications[a.id]?.kind === "unknown").length);
  const unknown = aged.filter((a) => ctx.journal.data.classifications[a.id] === undefined);
  if (unknown.length === 0) return;

  const folders = await ctx.outputFolders.of(unknown);
  const located: Array<{ analysis: IcaAnalysis; folder: IcaData }> = [];
  for (const analysis of unknown) {
    const folder = folders.get(analysis.id);
    if (folder instanceof OutputFolderNotFoundError) {
      remember(ctx, rec, analysis, { kind: "unknown" }, { key: undeterminedKey, message: `${analysis.reference}: cannot determine who manages it: ${folder.message}; left alone` });
    } else if (folder === undefined || folder instanceof Error) {
      rec.error(`${analysis.reference}: not classified: ${folder?.message ?? "no output folder"}; tried again next cycle`);
    } else {
      located.push({ analysis, folder });
    }
  }
  const markers = await findMarkerFiles(
    ctx.ica,
    sourceId,
    located.map(({ analysis, folder }) => ({ key: analysis.id, path: folder.path })),
  );
  const limit = twoGateLimit(ctx.settings.concurrency);
  await Promise.all(
    located.map(({ analysis, folder }) =>
      limit(() => classifyOne(ctx, sourceId, analysis, folder, markers.get(analysis.id) ?? {}, rec)),
    ),
  );
  await ctx.journalWriter.save();
}

/** The key of every "cannot determine who manages it" warning: one log line for all of them. */
const undeterminedKey = "cannot determine who manages these aged analyses; left alone";

async function classifyOne(
  ctx: CycleContext,
  sourceId: string,
  analysis: IcaAnalysis,
  folder: IcaData,
  markers: MarkerFiles,
  rec: StepRecorder,
): Promise<void> {
  const where = { outputFolderId: folder.id, outputFolderPath: folder.path };
  if (markers.bsshOutput && markers.bsshOutput.status !== "AVAILABLE") {
    // Only AVAILABLE files can be downloaded; an archived output would fail here every cycle.
    const message = `${analysis.reference}: BaseSpace-managed, but its ${markerFileNames.bsshOutput} is ${markers.bsshOutput.status}, so the BaseSpace projects it names cannot be read; they are left alone`;
    const key = `BaseSpace-managed, but ${markerFileNames.bsshOutput} is ${markers.bsshOutput.status}: their BaseSpace projects are left alone`;
    remember(ctx, rec, analysis, { kind: "bssh", ...where }, { key, message });
    return;
  }
  if (markers.bsshOutput) {
    try {
      const projects = await readBsshOutputProjects(ctx.ica, sourceId, markers.bsshOutput);
      const basespaceProjects = [...new Set(projects.map((p) => p.name))];
      const basespaceProjectIds = Object.fromEntries(projects.flatMap((p) => (p.id === undefined ? [] : [[p.name, p.id]])));
      remember(ctx, rec, analysis, { kind: "bssh", basespaceProjects, basespaceProjectIds, ...where });
    } catch (error) {
      rec.error(`${analysis.reference}: not classified: ${messageOf(error)}; tried again next cycle`, failureFactOf(error, analysis.id));
    }
    return;
  }
  if (markers.tags) {
    remember(ctx, rec, analysis, { kind: "ica", ...where });
    return;
  }
  remember(
    ctx,
    rec,
    analysis,
    { kind: "unknown", ...where },
    {
      key: undeterminedKey,
      message: `${analysis.reference}: cannot determine who manages it (neither ${markerFileNames.bsshOutput} nor ${markerFileNames.tags} under ${folder.path}); left alone`,
    },
  );
}

function remember(
  ctx: CycleContext,
  rec: StepRecorder,
  analysis: IcaAnalysis,
  classification: Parameters<CycleContext["journal"]["classify"]>[1],
  warning?: { key: string; message: string },
): void {
  ctx.journal.classify(analysis.id, classification);
  rec.count(classification.kind === "unknown" ? "undetermined" : classification.kind);
  rec.count("classified");
  if (warning !== undefined) rec.warn(warning.message, { key: warning.key, analysisId: analysis.id });
}
