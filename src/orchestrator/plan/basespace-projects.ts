/**
 * BaseSpace projects named by the `bsshoutput.json` of aged BSSH-managed analyses → project ids. Names
 * are not unique in BaseSpace; a name that matches several projects is left alone (with a warning)
 * rather than guessed, since the lifecycle archives and trashes everything in the projects it gets.
 */
export interface BasespaceProjectRef {
  id: string;
  name: string;
}

export interface ResolvedBasespaceProjects {
  projects: BasespaceProjectRef[];
  warnings: string[];
}

export function resolveBasespaceProjects(
  names: Iterable<string>,
  available: readonly BasespaceProjectRef[],
): ResolvedBasespaceProjects {
  const byName = new Map<string, BasespaceProjectRef[]>();
  for (const project of available) {
    byName.set(project.name, [...(byName.get(project.name) ?? []), project]);
  }
  const projects: BasespaceProjectRef[] = [];
  const warnings: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const matches = byName.get(name) ?? [];
    if (matches.length === 1 && matches[0]) projects.push(matches[0]);
    else if (matches.length === 0) warnings.push(`BaseSpace project '${name}' (named in bsshoutput.json) not found; skipped`);
    else {
      warnings.push(
        `BaseSpace project name '${name}' matches ${matches.length} projects (${matches.map((p) => p.id).join(", ")}); skipped — rename one of them`,
      );
    }
  }
  return { projects, warnings };
}
