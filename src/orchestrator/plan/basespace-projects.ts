import { compareText } from "./compare-text.js";
import { earliest, identityKey, identityProblem, type NamedBy } from "./identity.js";

/**
 * BaseSpace projects named by the `bsshoutput.json` of aged BSSH-managed analyses → project ids. The
 * lifecycle archives and trashes everything in the projects it gets, so a project is only taken when it
 * is certainly the one named (see identity.ts): by the id the file gives, whose name must still match;
 * or, for files that give a name only, by a name that matches exactly one project.
 */
export interface BasespaceProjectRef {
  id: string;
  name: string;
}

/** A project as the listing shows it. */
export interface ListedProject extends BasespaceProjectRef {
  createdAtMs?: number | null;
}

/** A project as a bsshoutput.json names it, with the analysis it belongs to. */
export interface NamedProject {
  name: string;
  id?: string;
  namedBy: NamedBy;
}

export interface ResolvedBasespaceProjects {
  projects: BasespaceProjectRef[];
  warnings: string[];
  /** `bs-project:<name>` → id of each project taken, to remember for the next cycle. */
  identities: Array<[string, string]>;
}

export function resolveBasespaceProjects(
  named: readonly NamedProject[],
  available: readonly ListedProject[],
  remembered: Readonly<Record<string, string>> = {},
): ResolvedBasespaceProjects {
  const groups = new Map<string, { name: string; id?: string; namers: NamedBy[] }>();
  for (const { name, id, namedBy } of named) {
    const key = id === undefined ? `name:${name}` : `id:${id}`;
    const group = groups.get(key) ?? { name, ...(id === undefined ? {} : { id }), namers: [] };
    group.namers.push(namedBy);
    groups.set(key, group);
  }
  const result: ResolvedBasespaceProjects = { projects: [], warnings: [], identities: [] };
  for (const group of [...groups.values()].sort((a, b) => compareText(a.name, b.name))) {
    const found = group.id === undefined ? byName(group.name, available) : byId(group.id, group.name, available);
    if (typeof found === "string") {
      result.warnings.push(found);
      continue;
    }
    const key = identityKey("bs-project", group.name);
    const what = `BaseSpace project '${group.name}'`;
    // An id from the file is the identity itself; only a name needs to be the one remembered.
    const problem = identityProblem(what, found, earliest(group.namers), group.id === undefined ? remembered[key] : undefined);
    if (problem !== null) {
      result.warnings.push(problem);
      continue;
    }
    result.projects.push({ id: found.id, name: found.name });
    result.identities.push([key, found.id]);
  }
  return result;
}

function byId(id: string, name: string, available: readonly ListedProject[]): ListedProject | string {
  const project = available.find((p) => p.id === id);
  if (!project) return `BaseSpace project ${id} ('${name}', named in bsshoutput.json) not found; skipped`;
  if (project.name !== name) {
    return `BaseSpace project ${id} is named '${project.name}' now, not '${name}' as bsshoutput.json says; skipped — rename it back if it still holds that analysis' output`;
  }
  return project;
}

function byName(name: string, available: readonly ListedProject[]): ListedProject | string {
  const matches = available.filter((p) => p.name === name);
  const [only] = matches;
  if (matches.length === 1 && only) return only;
  if (matches.length === 0) return `BaseSpace project '${name}' (named in bsshoutput.json) not found; skipped`;
  return `BaseSpace project name '${name}' matches ${matches.length} projects (${matches.map((p) => p.id).join(", ")}); skipped — rename one of them`;
}
