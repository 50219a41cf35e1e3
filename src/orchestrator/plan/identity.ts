/**
 * Identity by id, not by a name that may have moved. Where only a name links an analysis to something it
 * produced (a BaseSpace project named in bsshoutput.json, a run named by the run folder of a reference),
 * the name is resolved with three checks before anything is acted on:
 * - it resolves to exactly one thing;
 * - that thing existed when the analysis finished (something created later cannot hold its output);
 * - it is the same thing the name resolved to in earlier cycles (remembered in the journal as
 *   `<kind>:<name>` → id): a name that now resolves elsewhere names something else.
 */

/** What names a thing: the analysis and when it finished (end date, else start, else creation). */
export interface NamedBy {
  reference: string;
  finishedAtMs: number;
}

export function analysisFinishedAtMs(analysis: { timeCreated: string; startDate?: string | null; endDate?: string | null }): number {
  return Date.parse(analysis.endDate ?? analysis.startDate ?? analysis.timeCreated);
}

export type IdentityKind = "bs-project" | "bs-run";

export const identityKey = (kind: IdentityKind, name: string): string => `${kind}:${name}`;

/** Of several analyses naming one thing, the one that finished first: the strictest bound. */
export function earliest(namers: readonly NamedBy[]): NamedBy | undefined {
  return namers.reduce<NamedBy | undefined>((first, n) => (first === undefined || n.finishedAtMs < first.finishedAtMs ? n : first), undefined);
}

/** Why a candidate found by name is not the one named, or null when it passes the checks above. */
export function identityProblem(
  what: string,
  candidate: { id: string; createdAtMs?: number | null },
  namedBy: NamedBy | undefined,
  remembered: string | undefined,
): string | null {
  if (remembered !== undefined && remembered !== candidate.id) {
    return `${what} resolves to ${candidate.id} now but resolved to ${remembered} in an earlier cycle; skipped — the name names something else now`;
  }
  if (namedBy !== undefined && candidate.createdAtMs != null && candidate.createdAtMs > namedBy.finishedAtMs) {
    return `${what} [${candidate.id}] was created ${iso(candidate.createdAtMs)}, after analysis ${namedBy.reference} that names it finished (${iso(namedBy.finishedAtMs)}), so it cannot hold that analysis' output; skipped`;
  }
  return null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An output folder is read by the id its analysis gave; its path must still be the one seen when the
 * analysis was classified. A folder moved or renamed since was moved by a person, perhaps to keep it:
 * it is left alone, with the way to let the tool act on it again.
 */
export function movedFolderProblem(reference: string, rememberedPath: string | undefined, folder: { id: string; path: string }): string | null {
  if (rememberedPath === undefined || rememberedPath === folder.path) return null;
  return `${reference}: output folder ${folder.id} is at ${folder.path} now, not at ${rememberedPath} where its analysis left it; left alone — move it back for the lifecycle to act on it`;
}
