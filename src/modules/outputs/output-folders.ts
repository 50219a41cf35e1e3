import pLimit, { type LimitFunction } from "p-limit";
import type { Contradiction } from "../../assumptions/index.js";
import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis, IcaData } from "../../ica/schemas.js";
import { findData } from "./find-data.js";
import { OutputFolderNotFoundError, outputFolderIdOf } from "./output-folder.js";
import { batchByQueryLength } from "./query-batches.js";

type AnalysisRef = Pick<IcaAnalysis, "id" | "reference">;

/**
 * Output folders and data items of the source project as read during one cycle. Each analysis costs
 * one `GET …/outputs` (the only way from an analysis to its folder); the folders themselves are then
 * read many at a time with `GET data?id=…&id=…` rather than one `GET data/{id}` each. manageNew,
 * classifyAged and the ICA lifecycle share what was read, so no folder is read twice in a cycle.
 */
export class OutputFolders {
  private readonly folders = new Map<string, IcaData | Error>();
  private readonly data = new Map<string, IcaData>();
  private readonly limit: LimitFunction;
  /** What this cycle's reads showed against the ledger (a listing missing an item that exists). */
  readonly contradictions: Contradiction[] = [];

  constructor(
    private readonly ica: IcaClient,
    private readonly projectId: string,
    concurrency: number,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** The output folder of each analysis (path ending in `/`), or why it has none. */
  async of(analyses: readonly AnalysisRef[]): Promise<Map<string, IcaData | Error>> {
    const folderIds = new Map<string, string>();
    const unread = analyses.filter((analysis) => !this.folders.has(analysis.id));
    await Promise.all(
      unread.map((analysis) =>
        this.limit(async () => {
          try {
            const outputs = await this.ica.getAnalysisOutputs(this.projectId, analysis.id);
            folderIds.set(analysis.id, outputFolderIdOf(outputs.items, analysis));
          } catch (error) {
            this.folders.set(analysis.id, error instanceof Error ? error : new Error(String(error)));
          }
        }),
      ),
    );
    const found = await this.byIds([...folderIds.values()]);
    for (const [analysisId, dataId] of folderIds) {
      this.folders.set(
        analysisId,
        found.get(dataId) ?? new OutputFolderNotFoundError(analysisId, `its output folder ${dataId} is not in the project`),
      );
    }
    return new Map(analyses.map((analysis) => [analysis.id, this.folders.get(analysis.id) as IcaData | Error]));
  }

  /**
   * Data items by id as they are now (read once per cycle); ids the project does not have are absent.
   * An id missing from a multi-valued listing is looked up on its own before it counts as absent: that
   * the service answers `id=a&id=b` with the union is a reading, not a fact (ledger `ica.multi-value-query`),
   * and "absent" is recorded as DELETED for good.
   */
  async byIds(ids: readonly string[]): Promise<Map<string, IcaData>> {
    const unread = [...new Set(ids)].filter((id) => !this.data.has(id));
    await Promise.all(
      batchByQueryLength(unread, "id").map(async (batch) => {
        for await (const item of this.ica.listData(this.projectId, { id: batch })) this.data.set(item.id, withFolderSlash(item));
      }),
    );
    await Promise.all(unread.filter((id) => !this.data.has(id)).map((id) => this.limit(() => this.lookUp(id, unread.length))));
    const out = new Map<string, IcaData>();
    for (const id of ids) {
      const item = this.data.get(id);
      if (item) out.set(id, item);
    }
    return out;
  }

  private async lookUp(id: string, listed: number): Promise<void> {
    const found = await findData(this.ica, this.projectId, id);
    if (found === undefined) return;
    this.data.set(id, withFolderSlash(found));
    if (listed > 1) {
      this.contradictions.push({
        assumption: "ica.multi-value-query",
        evidence: `data ${id} was missing from a listing by ${listed} ids but exists when read on its own`,
      });
    }
  }
}

function withFolderSlash(item: IcaData): IcaData {
  return item.dataType === "FOLDER" && !item.path.endsWith("/") ? { ...item, path: `${item.path}/` } : item;
}
