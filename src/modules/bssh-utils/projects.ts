import type { BaseSpaceClient } from "../../basespace/client.js";
import type { BsDataset, BsProject } from "../../basespace/schemas.js";

/**
 * Projects of the user with exactly this name. BaseSpace names are not unique, so every match is
 * returned; the caller decides what several mean. One v1pre3 listing (v2 has none).
 */
export async function findProjectsByName(bs: BaseSpaceClient, name: string): Promise<BsProject[]> {
  const matches: BsProject[] = [];
  for await (const project of bs.listProjects()) if (project.name === name) matches.push(project);
  return matches;
}

/** Several names resolved with one listing of the user's projects; names with no project map to []. */
export async function findProjectsByNames(bs: BaseSpaceClient, names: Iterable<string>): Promise<Map<string, BsProject[]>> {
  const wanted = new Map<string, BsProject[]>([...names].map((n) => [n, []]));
  for await (const project of bs.listProjects()) wanted.get(project.name)?.push(project);
  return wanted;
}

/** Datasets of several projects, streamed project after project. */
export async function* listDatasetsOfProjects(
  bs: BaseSpaceClient,
  projectIds: Iterable<string>,
  filter: { isArchived?: boolean } = {},
): AsyncGenerator<BsDataset, void, undefined> {
  for (const id of new Set(projectIds)) yield* bs.listProjectDatasets(id, filter);
}
