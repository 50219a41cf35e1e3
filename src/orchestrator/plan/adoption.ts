import type { Settings } from "../../config/index.js";
import { analysisAgeDays, isAged, type LifecycleWindows, type Timestamp } from "./age.js";

export type AdoptMode = NonNullable<Settings["adopt"]>;

/** What the adoption guard needs of an analysis the cycle would manage. */
export interface AdoptionCandidate {
  id: string;
  reference: string;
  startDate?: Timestamp | null;
  timeCreated: Timestamp;
}

/**
 * The adoption guard's decision. An empty (or missing) managed table next to old SUCCEEDED analyses
 * usually means a wrong table path or a first run after the old tool: delivering everything again, or
 * retiring data nobody chose to hand over, would both be surprises, so the cycle refuses unless
 * `--adopt` says which it is.
 * - `none`: the table has rows, or nothing new is older than days_to_archive: the cycle goes on as usual.
 * - `refuse`: no `--adopt`: the cycle ends (exit 2) naming the old analyses.
 * - `record` / `deliver`: the old analyses are appended to the table undelivered / delivered as new ones.
 */
export type AdoptionPlan<A> = { kind: "none" } | { kind: "refuse" | AdoptMode; old: A[] };

export function planAdoption<A extends AdoptionCandidate>(input: {
  tableRows: number;
  /** SUCCEEDED BCLConvert analyses not in the managed table (the cycle's toManage). */
  candidates: readonly A[];
  mode: AdoptMode | undefined;
  windows: LifecycleWindows;
  now: Timestamp;
}): AdoptionPlan<A> {
  if (input.tableRows > 0) return { kind: "none" };
  // "Older than days_to_archive"; with archiving off, the first window that acts is days_to_delete.
  const old = input.candidates.filter((analysis) => isAged(analysisAgeDays({ startDate: analysis.startDate ?? null, timeCreated: analysis.timeCreated }, input.now), input.windows));
  if (old.length === 0) return { kind: "none" };
  return { kind: input.mode ?? "refuse", old };
}

/** The analyses of a plan as `reference (id)`, the first few then a count. */
export function describeOld(old: readonly AdoptionCandidate[], shown = 10): string {
  const listed = old.slice(0, shown).map((analysis) => `${analysis.reference} (${analysis.id})`);
  return old.length > shown ? `${listed.join(", ")} and ${old.length - shown} more` : listed.join(", ");
}
