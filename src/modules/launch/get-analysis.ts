import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis } from "../../ica/schemas.js";

/** One analysis in its V4 representation (current status names, e.g. GENERATING_OUTPUTS). */
export function getAnalysis(ica: IcaClient, projectId: string, analysisId: string): Promise<IcaAnalysis> {
  return ica.getAnalysis(projectId, analysisId);
}
