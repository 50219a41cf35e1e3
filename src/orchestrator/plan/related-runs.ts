import { earliest, identityKey, identityProblem, type NamedBy } from "./identity.js";
import { runFolderFromReference } from "./run-folder.js";

export interface RelatedRunsCheck<R> {
  runs: R[];
  warnings: string[];
  /** `bs-run:<name>` → id of each run kept, to remember for the next cycle. */
  identities: Array<[string, string]>;
}

/**
 * `basespace_runs: related` finds a pair's runs by name (the run folder its analyses' references start
 * with), so each name is checked as identity.ts describes before its run is acted on: a name held by
 * several runs, a run created after the analysis naming it finished, or a name that resolved to another
 * run when last acted on is skipped with a warning.
 */
export function checkRelatedRuns<R extends { id: string; name: string; createdAtMs?: number | null }>(
  selected: readonly R[],
  analyses: readonly NamedBy[],
  remembered: Readonly<Record<string, string>> = {},
): RelatedRunsCheck<R> {
  const namers = new Map<string, NamedBy[]>();
  for (const analysis of analyses) {
    const folder = runFolderFromReference(analysis.reference);
    if (folder !== null) namers.set(folder, [...(namers.get(folder) ?? []), analysis]);
  }
  const byName = new Map<string, R[]>();
  for (const run of selected) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  const result: RelatedRunsCheck<R> = { runs: [], warnings: [], identities: [] };
  for (const [name, runs] of byName) {
    const [only] = runs;
    if (runs.length > 1 || !only) {
      result.warnings.push(`BaseSpace run name '${name}' matches ${runs.length} runs (${runs.map((r) => r.id).join(", ")}); skipped — cannot tell which one the analysis used`);
      continue;
    }
    const key = identityKey("bs-run", name);
    const problem = identityProblem(`BaseSpace run '${name}'`, only, earliest(namers.get(name) ?? []), remembered[key]);
    if (problem !== null) {
      result.warnings.push(problem);
      continue;
    }
    result.runs.push(only);
    result.identities.push([key, only.id]);
  }
  return result;
}
