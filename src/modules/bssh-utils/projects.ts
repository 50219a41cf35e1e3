import type { BaseSpaceClient } from "../../basespace/client.js";
import type { BsProject } from "../../basespace/schemas.js";

/**
 * Several names resolved with one listing of the user's projects; names with no project map to [].
 * @internal exported for the tests
 */
export async function findProjectsByNames(bs: BaseSpaceClient, names: Iterable<string>): Promise<Map<string, BsProject[]>> {
  const wanted = new Map<string, BsProject[]>([...names].map((n) => [n, []]));
  for await (const project of bs.listProjects()) wanted.get(project.name)?.push(project);
  return wanted;
}
