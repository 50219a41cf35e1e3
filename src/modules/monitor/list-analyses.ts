import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis } from "../../ica/schemas.js";

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
