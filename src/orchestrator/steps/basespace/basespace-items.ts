import type { BaseSpaceClient } from "../../../basespace/client.js";
import type { BsDataset, BsRun } from "../../../basespace/schemas.js";
import type { IcaAnalysis } from "../../../ica/schemas.js";
import { findProjectsByNames } from "../../../modules/bssh-utils/index.js";
import type { CycleContext } from "../../cycle-context.js";
import { ageInDays } from "../../plan/age.js";
import type { BasespaceDataset, BasespaceItem, BasespaceRun } from "../../plan/basespace-lifecycle.js";
import { resolveBasespaceProjects } from "../../plan/basespace-projects.js";
import { selectRuns } from "../../plan/run-folder.js";
import type { StepRecorder } from "../../step-recorder.js";

/**
 * What the BaseSpace lifecycle may act on: the datasets of the BaseSpace projects that the source
 * project's aged BSSH-managed analyses name (their bsshoutput.json, as remembered by classifyAged),
 * and the runs `basespace_runs` selects. Nothing else in BaseSpace is ever listed.
 */
export async function basespaceItems(
  ctx: CycleContext,
  bs: BaseSpaceClient,
  analyses: readonly IcaAnalysis[],
  rec: StepRecorder,
): Promise<BasespaceItem[]> {
  const [datasets, runs] = await Promise.all([namedProjectDatasets(ctx, bs, analyses, rec), selectedRuns(ctx, bs, analyses)]);
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
  const names = new Set<string>();
  for (const analysis of analyses) {
    const known = ctx.journal.data.classifications[analysis.id];
    if (known?.kind === "bssh") known.basespaceProjects.forEach((name) => names.add(name));
  }
  if (names.size === 0) return [];
  const found = await findProjectsByNames(bs, names);
  const resolved = resolveBasespaceProjects(names, [...found.values()].flat());
  resolved.warnings.forEach((warning) => rec.warn(warning));
  rec.count("projects", resolved.projects.length);
  const perProject = await Promise.all(
    resolved.projects.map(async (project) => {
      const datasets: BasespaceDataset[] = [];
      for await (const dataset of bs.listProjectDatasets(project.id)) datasets.push(toDataset(ctx, dataset, project));
      return datasets;
    }),
  );
  return perProject.flat();
}

async function selectedRuns(ctx: CycleContext, bs: BaseSpaceClient, analyses: readonly IcaAnalysis[]): Promise<BasespaceRun[]> {
  if (ctx.settings.basespaceRuns === "none") return [];
  const runs: BsRun[] = [];
  for await (const run of bs.listRuns()) runs.push(run);
  return selectRuns(
    runs,
    ctx.settings.basespaceRuns,
    analyses.map((a) => a.reference),
  ).map((run) => toRun(ctx, run));
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
