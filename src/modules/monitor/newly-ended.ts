import type { UserPattern } from "../../config/user-pattern.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { analysisStateOf } from "./analysis-state.js";
import { isBclConvert } from "./bcl-convert.js";

/** What the last cycle's listing tells the poll of `watch`: where to look, and what it has already seen. */
export interface ListingFacts {
  sourceProjectId: string;
  /** The latest end (epoch ms, the server's clock) among the listing's SUCCEEDED BCLConvert analyses; -Infinity without one. */
  lastEndedMs: number;
  /** BCLConvert analyses the listing saw not ended yet (and not managed): new when they show SUCCEEDED, whatever their end. */
  running: ReadonlySet<string>;
}

/**
 * The SUCCEEDED BCLConvert analyses among `latest` (the poll's page, newest end first) that the last
 * listing had not seen ended: ended after its latest end, or running then. Only the ICA clock is
 * compared with itself, so a skewed local clock misses nothing. `skip`: ids already handed to a
 * delivery cycle since that listing (a failed delivery waits for the full cycle rather than looping).
 */
export function newlyEnded(latest: readonly IcaAnalysis[], facts: ListingFacts, pattern: UserPattern, skip: ReadonlySet<string>): string[] {
  return latest
    .filter((analysis) => isBclConvert(analysis, pattern) && !skip.has(analysis.id))
    .filter((analysis) => facts.running.has(analysis.id) || (analysis.endDate !== null && Date.parse(analysis.endDate) > facts.lastEndedMs))
    .map((analysis) => analysis.id);
}

/** The facts of a cycle's listing: its latest SUCCEEDED BCLConvert end, and the BCLConvert analyses still running. */
export function listingFacts(sourceProjectId: string, analyses: readonly IcaAnalysis[], pattern: UserPattern, running: readonly { id: string }[]): ListingFacts {
  let lastEndedMs = Number.NEGATIVE_INFINITY;
  for (const analysis of analyses) {
    if (analysis.endDate === null || analysisStateOf(analysis.status) !== "done" || !isBclConvert(analysis, pattern)) continue;
    lastEndedMs = Math.max(lastEndedMs, Date.parse(analysis.endDate));
  }
  return { sourceProjectId, lastEndedMs, running: new Set(running.map((a) => a.id)) };
}
