import { ConfigError } from "./config-error.js";
import type { Settings } from "./settings.js";
import type { ProjectRef } from "./value-schemas.js";

/**
 * Rules across project pairs. Some things a cycle acts on belong to more than one pair, and a pair's own
 * settings must not reach what belongs to another:
 *
 * - **The BaseSpace account** (one token for every pair): its runs and its trash. `basespace_runs: all`
 *   ages every run of the account, so it is an account-level choice: allowed only when every pair that
 *   ages runs uses the same days_to_archive, days_to_delete and protect list (otherwise one pair's windows
 *   would archive, restore or trash the runs of another, and two pairs would undo each other). Pairs whose
 *   windows differ use `related` (only runs of their own analyses). `empty_trash` acts on the one trash,
 *   so all pairs must agree on it.
 * - **A source project**: its output folders age once, whichever pair reads it, so pairs on one source
 *   must agree on the windows and the protect list; and the managed table says "delivered" per analysis
 *   without naming the destination, so two pairs on one source sharing a table would leave the second
 *   pair's delivery silently undone: each needs its own table.
 *
 * Pairs are compared by how they name their source; one naming it by id and another by name cannot be
 * matched before the projects are resolved.
 */
export function checkPairRules(cycles: readonly Settings[]): void {
  if (cycles.length < 2) return;
  const label = (i: number) => `pairs[${i}]`;
  checkAccountRules(cycles, label);
  checkSourceRules(cycles, label);
}

/** The settings that decide when shared data ages. */
function windowsOf(s: Settings): string {
  return JSON.stringify([s.daysToArchive, s.daysToDelete, [...s.protect].sort()]);
}

function describeWindows(s: Settings): string {
  const protect = s.protect.length === 0 ? "none" : s.protect.join(",");
  return `days_to_archive ${s.daysToArchive ?? "off"}, days_to_delete ${s.daysToDelete}, protect ${protect}`;
}

function checkAccountRules(cycles: readonly Settings[], label: (i: number) => string): void {
  const withToken = cycles.map((s, i) => ({ s, i })).filter(({ s }) => s.basespace !== undefined);
  const allRuns = withToken.find(({ s }) => s.basespaceRuns === "all");
  if (allRuns) {
    const differing = withToken.find(({ s }) => s.basespaceRuns !== "none" && windowsOf(s) !== windowsOf(allRuns.s));
    if (differing) {
      throw new ConfigError(
        `basespace_runs: ${label(allRuns.i)} ages every BaseSpace run of the account ("all") with ${describeWindows(allRuns.s)}, but ${label(differing.i)} ages runs with ${describeWindows(differing.s)}; set basespace_runs to "related" (runs of the pair's own analyses) in the pairs, or give every pair the same days_to_archive, days_to_delete and protect`,
      );
    }
  }
  const first = withToken[0];
  const otherTrash = withToken.find(({ s }) => first !== undefined && s.emptyTrash !== first.s.emptyTrash);
  if (first && otherTrash) {
    throw new ConfigError(
      `empty_trash: ${label(first.i)} says "${first.s.emptyTrash}" and ${label(otherTrash.i)} "${otherTrash.s.emptyTrash}", but the BaseSpace trash belongs to the whole account; set empty_trash once, at the top of the config file`,
    );
  }
}

function checkSourceRules(cycles: readonly Settings[], label: (i: number) => string): void {
  const bySource = new Map<string, number>();
  cycles.forEach((s, i) => {
    const key = sourceKey(s.source);
    const earlier = bySource.get(key);
    if (earlier === undefined) {
      bySource.set(key, i);
      return;
    }
    const first = cycles[earlier] as Settings;
    if (first.managedTablePath === s.managedTablePath) {
      const rules = String(first.fastqPattern) === String(s.fastqPattern) ? "" : ` (fastq_pattern ${String(first.fastqPattern)} and ${String(s.fastqPattern)})`;
      throw new ConfigError(
        `analyses_managed_table: ${label(earlier)} and ${label(i)} read source ${describeSource(s.source)} into one managed table ${s.managedTablePath}${rules}, so the analyses the first delivers would never be delivered by the second; give ${label(i)} its own analyses_managed_table`,
      );
    }
    if (windowsOf(first) !== windowsOf(s)) {
      throw new ConfigError(
        `days_to_archive/days_to_delete/protect: ${label(earlier)} and ${label(i)} read source ${describeSource(s.source)} but age its data differently (${describeWindows(first)} vs ${describeWindows(s)}); a source's data ages once, so give both pairs the same values`,
      );
    }
  });
}

function sourceKey(ref: ProjectRef): string {
  return "id" in ref ? `id:${ref.id}` : `name:${ref.name}`;
}

function describeSource(ref: ProjectRef): string {
  return "id" in ref ? `id ${ref.id}` : `'${ref.name}'`;
}
