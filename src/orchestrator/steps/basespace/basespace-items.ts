import { maxBaseSpaceLimit, type BaseSpaceClient } from "../../../basespace/client.js";
import type { BsDataset, BsRun } from "../../../basespace/schemas.js";
import type { IcaAnalysis } from "../../../ica/schemas.js";
import { agedOldestFirst } from "../../../modules/bssh-utils/index.js";
import { noteContradiction } from "../../contradictions.js";
import type { CycleContext } from "../../cycle-context.js";
import { ageInDays, isAged } from "../../plan/age.js";
import type { BasespaceDataset, BasespaceItem, BasespaceRun } from "../../plan/plan-basespace-lifecycle.js";
import { resolveBasespaceProjects, type BasespaceProjectRef, type ListedProject, type NamedProject } from "../../plan/basespace-projects.js";
import { analysisFinishedAtMs } from "../../plan/identity.js";
import { checkRelatedRuns } from "../../plan/related-runs.js";
import { selectRuns } from "../../plan/run-folder.js";
import type { StepRecorder } from "../../step-recorder.js";

/**
 * What the BaseSpace lifecycle may act on: the aged datasets of the BaseSpace projects that the source
 * project's aged BSSH-managed analyses name (their bsshoutput.json, as remembered by classifyAged),
 * and the aged runs `basespace_runs` selects. Datasets of other projects may be listed on the way
 * (one listing across projects is cheaper than one per project), but are never acted on.
 */
export async function basespaceItems(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  analyses: readonly IcaAnalysis[],
  rec: StepRecorder,
): Promise<BasespaceItem[]> {
  const [datasets, runs] = await Promise.all([namedProjectDatasets(ctx, bs, analyses, rec), selectedRuns(ctx, bs, analyses, rec)]);
  rec.count("datasets", datasets.length);
  rec.count("runs", runs.length);
  return [...datasets, ...runs];
}

async function namedProjectDatasets(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  analyses: readonly IcaAnalysis[],
  rec: StepRecorder,
): Promise<BasespaceDataset[]> {
  const named: NamedProject[] = [];
  for (const analysis of analyses) {
    const known = ctx.journal.data.classifications[analysis.id];
    if (known?.kind !== "bssh") continue;
    const namedBy = { reference: analysis.reference, finishedAtMs: analysisFinishedAtMs(analysis) };
    for (const name of known.basespaceProjects) {
      const id = known.basespaceProjectIds?.[name];
      named.push({ name, ...(id === undefined ? {} : { id }), namedBy });
    }
  }
  if (named.length === 0) return [];
  const listed: ListedProject[] = [];
  for await (const project of bs.listProjects()) listed.push(project);
  const resolved = resolveBasespaceProjects(named, listed, ctx.journal.data.identities);
  resolved.warnings.forEach((warning) => rec.warn(warning));
  resolved.identities.forEach(([key, id]) => ctx.journal.rememberIdentity(key, id));
  rec.count("projects", resolved.projects.length);
  const across = resolved.projects.length > 1 ? await acrossProjects(ctx, bs, resolved.projects, rec) : undefined;
  if (across) return across;
  const perProject = await Promise.all(
    resolved.projects.map(async (project) => {
      const datasets: BasespaceDataset[] = [];
      const oldest = bs.listProjectDatasets(project.id, {}, oldestFirst);
      for await (const dataset of aged(ctx, oldest, rec)) datasets.push(toDataset(ctx, dataset, project));
      return datasets;
    }),
  );
  return perProject.flat();
}

/**
 * The datasets of several projects from one listing of all datasets, which costs fewer pages than one
 * listing per project as long as the account's aged datasets fit in as many pages as there are
 * projects. Past that, undefined: the per-project listings cannot cost more than what is left.
 */
async function acrossProjects(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  projects: readonly BasespaceProjectRef[],
  rec: StepRecorder,
): Promise<BasespaceDataset[] | undefined> {
  const wanted = new Map(projects.map((project) => [project.id, project]));
  const budget = projects.length * maxBaseSpaceLimit;
  const datasets: BasespaceDataset[] = [];
  let scanned = 0;
  for await (const dataset of aged(ctx, bs.listDatasets({}, oldestFirst), rec)) {
    const project = dataset.projectId === null ? undefined : wanted.get(dataset.projectId);
    if (project) datasets.push(toDataset(ctx, dataset, project));
    // Given up before the next page is fetched.
    if (++scanned >= budget) return undefined;
  }
  return datasets;
}

async function selectedRuns(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  analyses: readonly IcaAnalysis[],
  rec: StepRecorder,
): Promise<BasespaceRun[]> {
  const mode = ctx.settings.basespaceRuns;
  if (mode === "none") return [];
  const runs: BsRun[] = [];
  for await (const run of aged(ctx, bs.listRuns(oldestFirst), rec)) runs.push(run);
  const selected = selectRuns(runs, mode, analyses.map((a) => a.reference));
  if (mode === "all") return selected.map((run) => toRun(ctx, run));
  // `related` finds runs by name, so the names are checked before anything is acted on.
  const namers = analyses.map((a) => ({ reference: a.reference, finishedAtMs: analysisFinishedAtMs(a) }));
  const checked = checkRelatedRuns(selected, namers, ctx.journal.data.identities);
  checked.warnings.forEach((warning) => rec.warn(warning));
  checked.identities.forEach(([key, id]) => ctx.journal.rememberIdentity(key, id));
  return checked.runs.map((run) => toRun(ctx, run));
}

/**
 * Listings sorted oldest first hold everything the lifecycle can act on before the first item younger
 * than its first window, so reading stops there: a steady cycle reads only the pages with aged data.
 */
export const oldestFirst = { sortBy: "DateCreated", sortDir: "Asc" } as const;

function aged<T extends { id: string; createdAtMs: number }>(ctx: CycleContext, oldestFirstItems: AsyncIterable<T>, rec: StepRecorder): AsyncGenerator<T> {
  // Once the order was seen broken, every listing is read to the end (no early stop) until the operator acknowledges it.
  return agedOldestFirst(oldestFirstItems, {
    isAged: (item) => isAged(ageInDays(item.createdAtMs, ctx.now), ctx.windows),
    pageSize: maxBaseSpaceLimit,
    onOutOfOrder: (evidence) => noteContradiction(ctx, rec, { assumption: "bs.sort-date-created", evidence }),
    // The order alone decides the early stop; a contradicted page size (bs.page-limit) only makes pages smaller.
    orderTrusted: ctx.ledger.of("bs.sort-date-created")?.state !== "contradicted",
  });
}

function toDataset(ctx: CycleContext, dataset: BsDataset, project: { id: string; name: string }): BasespaceDataset {
  return {
    kind: "dataset",
    id: dataset.id,
    name: dataset.name,
    projectId: project.id,
    projectName: project.name,
    ownerId: dataset.ownerId,
    ageDays: ageInDays(dataset.createdAtMs, ctx.now),
    sizeBytes: dataset.sizeBytes,
    isArchived: dataset.isArchived,
  };
}

function toRun(ctx: CycleContext, run: BsRun): BasespaceRun {
  return {
    kind: "run",
    id: run.id,
    name: run.name,
    experimentName: run.experimentName,
    status: run.status,
    ownerId: run.ownerId,
    ageDays: ageInDays(run.createdAtMs, ctx.now),
    sizeBytes: run.sizeBytes,
    isArchived: run.isArchived,
  };
}
