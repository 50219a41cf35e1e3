import { toV3Status } from "../../ica/analysis-status.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis } from "../../ica/schemas.js";

export interface ListAnalysesOptions {
  /** Server-side status filter, in either spelling. */
  statuses?: readonly string[];
  /**
   * `search` (default): `POST analysis:search`, V4 items, all statuses in one listing.
   * `v3`: the deprecated `GET analyses`, which filters by one status per call (one listing per status).
   */
  via?: "search" | "v3";
}

/** Streams the analyses of a project, statuses in the V4 spelling whichever endpoint answered. */
export async function* listProjectAnalyses(
  ica: IcaClient,
  projectId: string,
  opts: ListAnalysesOptions = {},
): AsyncGenerator<IcaAnalysis, void, undefined> {
  if ((opts.via ?? "search") === "search") {
    yield* ica.searchAnalyses(projectId, { statuses: opts.statuses });
    return;
  }
  if (!opts.statuses || opts.statuses.length === 0) {
    yield* ica.listAnalysesV3(projectId);
    return;
  }
  // Several V4 names can share one V3 name; each V3 listing is walked once so no analysis repeats.
  for (const status of new Set(opts.statuses.map(toV3Status))) yield* ica.listAnalysesV3(projectId, { status });
}

/**
 * The whole analysis listing of a project, for a cycle that holds it anyway: the client reads its
 * offset pages side by side, and those can show an analysis created meanwhile twice, so each id is
 * kept once.
 */
export async function projectAnalysesSnapshot(ica: IcaClient, projectId: string): Promise<IcaAnalysis[]> {
  const byId = new Map<string, IcaAnalysis>();
  for (const analysis of await ica.searchAllAnalyses(projectId)) byId.set(analysis.id, analysis);
  return [...byId.values()];
}
