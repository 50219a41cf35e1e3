import { distance } from "fastest-levenshtein";
import type { IcaClient } from "../../ica/client.js";
import type { IcaProject } from "../../ica/schemas.js";
import { NotFoundError } from "../../http/errors.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Candidates named in a message; the rest are counted. */
const maxListed = 10;
/** How many of the closest names a "not found" message offers. */
const closestListed = 5;

/** A project name that matches no project, or several. Carries what the search found. */
export class ProjectResolutionError extends Error {
  constructor(
    message: string,
    readonly query: string,
    readonly candidates: readonly Pick<IcaProject, "id" | "name">[],
  ) {
    super(message);
    this.name = "ProjectResolutionError";
  }
}

function describe(projects: readonly Pick<IcaProject, "id" | "name">[]): string {
  const listed = projects.slice(0, maxListed).map((p) => `"${p.name}" (${p.id})`);
  const more = projects.length > maxListed ? ` and ${projects.length - maxListed} more` : "";
  return listed.join(", ") + more;
}

/**
 * A project by id (a UUID) or by exact, case-sensitive name. ICA's `search` is a free-text filter and
 * names are not unique, so the search result is narrowed to exact matches here: several is an error
 * that lists them, so the operator can pick an id; none lists the closest names the key can see.
 */
export async function resolveProject(ica: IcaClient, nameOrId: string): Promise<IcaProject> {
  if (uuidPattern.test(nameOrId)) {
    try {
      return await ica.getProject(nameOrId);
    } catch (error) {
      // A project may be named like a UUID; fall through to the name search.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const found: IcaProject[] = [];
  for await (const project of ica.listProjects(nameOrId)) found.push(project);
  const exact = found.filter((p) => p.name === nameOrId);
  if (exact.length === 1) return exact[0] as IcaProject;
  if (exact.length > 1) {
    throw new ProjectResolutionError(
      `ICA project name "${nameOrId}" is ambiguous: ${exact.length} projects have it: ${describe(exact)}; pass the project id instead`,
      nameOrId,
      exact,
    );
  }
  const closest = await closestProjects(ica, nameOrId);
  const seen = closest.length > 0 ? `; the closest names this key can see: ${describe(closest)}` : "; this key can see no project at all";
  throw new ProjectResolutionError(
    `No ICA project is named exactly "${nameOrId}"${seen}. Check the name (case-sensitive) or pass the project id`,
    nameOrId,
    closest,
  );
}

/**
 * The projects whose names are nearest to `query` (edit distance, ignoring case), from every project
 * the key can see: ICA's search only finds names that contain the text, so it misses a typo.
 */
async function closestProjects(ica: IcaClient, query: string): Promise<IcaProject[]> {
  const wanted = query.toLowerCase();
  const ranked: Array<{ project: IcaProject; edits: number }> = [];
  for await (const project of ica.listProjects()) ranked.push({ project, edits: distance(wanted, project.name.toLowerCase()) });
  ranked.sort((a, b) => a.edits - b.edits || a.project.name.localeCompare(b.project.name));
  return ranked.slice(0, closestListed).map(({ project }) => project);
}
