import type { IcaClient } from "../../ica/client.js";

/** The data ids an analysis read, once per analysis per caller (a cycle asks about one original at a time). */
export class AnalysisInputs {
  private readonly cache = new Map<string, Promise<string[]>>();

  constructor(
    private readonly ica: IcaClient,
    private readonly projectId: string,
  ) {}

  dataIds(analysisId: string): Promise<string[]> {
    let ids = this.cache.get(analysisId);
    if (!ids) {
      ids = this.ica.getAnalysisInputs(this.projectId, analysisId).then((inputs) => inputs.items.flatMap((i) => i.analysisData.map((d) => d.dataId)));
      this.cache.set(analysisId, ids);
    }
    return ids;
  }
}

/**
 * The first of `candidates` that read any of the original's input data — the same run relaunched under
 * another name (a person's relaunch from the ICA UI keeps the inputs). Reads the inputs of the original
 * and of each candidate until one matches; nothing when there are no candidates.
 */
export async function findRerunByInputs<C extends { id: string }>(inputs: AnalysisInputs, originalId: string, candidates: readonly C[]): Promise<C | undefined> {
  if (candidates.length === 0) return undefined;
  const original = new Set(await inputs.dataIds(originalId));
  for (const candidate of candidates) {
    if ((await inputs.dataIds(candidate.id)).some((id) => original.has(id))) return candidate;
  }
  return undefined;
}
