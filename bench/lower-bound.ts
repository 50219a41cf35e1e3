import { batchByQueryLength } from "../src/modules/outputs/query-batches.js";

/**
 * The fewest API calls a correct cycle can make for a given amount of work. bench/README.md states
 * the formula and why each term is unavoidable; `workload.ts` derives the amounts from a fixture.
 */

/** Largest page of an ICA listing (the simulator's `icaMaxPageSize`, ICA's undocumented maximum). */
const icaPageSize = 1_000;
/** Largest `Limit` of a BaseSpace listing. */
const basespacePageSize = 1_024;
/**
 * Data ids one `GET data?id=…&id=…` carries: a 6,000-character query (well under the 8 KB request
 * lines servers accept) holds 150 `id=fol.<32 hex>&` parameters.
 */
const idsPerDataQuery = 150;
/** Links per `POST dataLinkingBatch` the spec recommends at most (L7480): several analyses share a batch. */
const linksPerBatch = 25_000;
/** Most ids one `POST /v2/archive` or `/v2/restore` takes. */
const basespaceBulkSize = 250;

export interface NewAnalysisWork {
  /** MGI FASTQs to link (0: its outputs and files are read, nothing is linked, no manifest is written). */
  selectedFastqs: number;
  /** Its output folder's path. */
  folderPath: string;
}

/** What one cycle has to read and do; every field counts items, never calls. */
export interface Workload {
  /** Source and destination given by name or id: one lookup each. */
  projectLookups: number;
  /** Analyses in the source project: listed once per cycle, in full. */
  sourceAnalyses: number;
  /** A BaseSpace token to check (its scopes and user come in one call); 0 without BaseSpace. */
  basespaceTokens: number;
  /** BaseSpace projects visible to the token, listed to resolve the names in bsshoutput.json; 0 when none are named. */
  basespaceProjectsListed: number;
  /**
   * Datasets past days_to_archive still listed (not in the trash): per named project that exists, and
   * in all projects the token sees. Listings sorted oldest first stop at the first younger item.
   */
  agedDatasets: { perNamedProject: readonly number[]; allProjects: number };
  /** Runs past days_to_archive still listed; null when runs are out of scope (`basespace_runs` none). */
  agedRuns: number | null;
  /** The trash is read to decide on emptying it: null when it need not be read, else its size. */
  trashListed: { items: number; foreign: number } | null;
  /** SUCCEEDED BCLConvert analyses not yet managed. */
  newAnalyses: readonly NewAnalysisWork[];
  /** Aged analyses not classified yet and not among the new ones (whose outputs are read anyway). */
  unclassifiedAged: number;
  /** Aged analyses with a bsshoutput.json that can be downloaded (AVAILABLE): its project names must be read. */
  bsshMarkersToRead: number;
  /** ICA archive, unarchive and delete requests (one output folder each). */
  icaActions: number;
  basespaceArchiveIds: number;
  basespaceRestoreIds: number;
  /** Datasets and runs moved to the trash, one DELETE each. */
  basespaceTrashItems: number;
  emptyTrash: boolean;
  /** A dry run reads all of the above and writes nothing. */
  dryRun: boolean;
}

export type LowerBoundTerm =
  | "projects"
  | "analysisPages"
  | "basespaceToken"
  | "basespaceProjects"
  | "datasetPages"
  | "runPages"
  | "trashPages"
  | "outputs"
  | "outputFolders"
  | "fastqListing"
  | "destinationCheck"
  | "bsshMarkers"
  | "linkBatches"
  | "linkPolls"
  | "manifests"
  | "verification"
  | "manifestReadBacks"
  | "icaLifecycle"
  | "icaRereads"
  | "basespaceLifecycle"
  | "bulkRereads"
  | "trashRereads";

const pages = (items: number, pageSize: number): number => Math.max(1, Math.ceil(items / pageSize));
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Per term, the calls that cannot be avoided:
 * - every listing is read in pages of the largest size the API allows (an empty listing still costs one);
 *   BaseSpace datasets and runs only as far as they are past days_to_archive (sorted by DateCreated,
 *   oldest first), datasets per named project or across all projects, whichever takes fewer pages;
 * - each new analysis and each aged one not classified yet costs one `GET …/outputs` (the folder id and
 *   its files, markers included, in one answer — an analysis both new and aged is read once), and its
 *   output folder's path and status one 150th of a `GET data?id=…` (AnalysisData has neither);
 * - a bsshoutput.json costs a download URL plus the download (an ARCHIVED one cannot be downloaded);
 * - the outputs answer names files but gives neither path, size, status nor checksum, which the FASTQ
 *   selection and the manifest need: the new analyses' folders are listed (`GET data?filePath=…`, several
 *   folders a request, as many as a 6,000-character query holds), at least one page per request and one
 *   per 1,000 selected FASTQs; before linking, the destination is looked at under the same folders (a
 *   lost journal or a row removed by hand may have linked them already; a path held by other data must
 *   not get a second file), at least one page per request — a dry run plans both;
 * - a new analysis with MGI FASTQs costs its manifest's create + upload URL + upload. The links of all new
 *   analyses share batches of up to 25,000 (one create and at least one status poll each: a batch is
 *   never finished when created), and the destination's listing of them verifies them: a page per
 *   request and per 1,000 links;
 * - each lifecycle action costs one call; BaseSpace archive and restore take up to 250 ids per call;
 * - the safety reads docs/safety.md requires, one line item each: every uploaded manifest is read back
 *   (`GET data/{id}`: S3 can answer 200 while ICA keeps the file PARTIAL), and every irreversible call
 *   on one item is preceded by a fresh read of that item (`rereadBeforeActing`): an ICA archive,
 *   unarchive or delete reads its folder (`GET data/{id}`), a BaseSpace trash move its dataset or run;
 *   a BaseSpace bulk archive or restore reads its items again right before it (`rereadBulkBasis`: the
 *   listing they came from), one page at least per request.
 */
export function lowerBoundTerms(w: Workload): Record<LowerBoundTerm, number> {
  const linking = w.dryRun ? [] : w.newAnalyses.filter((a) => a.selectedFastqs > 0);
  const links = sum(linking.map((a) => a.selectedFastqs));
  const batches = links === 0 ? 0 : Math.ceil(links / linksPerBatch);
  const outputsRead = w.newAnalyses.length + w.unclassifiedAged;
  const withFastqs = w.newAnalyses.filter((a) => a.selectedFastqs > 0);
  const bulkRequests = w.dryRun ? 0 : bulkCalls(w.basespaceArchiveIds) + bulkCalls(w.basespaceRestoreIds);
  const selected = sum(withFastqs.map((a) => a.selectedFastqs));
  return {
    projects: w.projectLookups,
    analysisPages: pages(w.sourceAnalyses, icaPageSize),
    basespaceToken: w.basespaceTokens,
    basespaceProjects: w.basespaceProjectsListed > 0 ? pages(w.basespaceProjectsListed, basespacePageSize) : 0,
    datasetPages: datasetPages(w.agedDatasets),
    runPages: w.agedRuns === null ? 0 : pages(w.agedRuns, basespacePageSize),
    // With an item someone else trashed on the first page, one page settles "not only ours".
    trashPages: w.trashListed === null ? 0 : w.trashListed.foreign > 0 ? 1 : pages(w.trashListed.items, basespacePageSize),
    outputs: outputsRead,
    outputFolders: outputsRead === 0 ? 0 : Math.ceil(outputsRead / idsPerDataQuery),
    fastqListing: Math.max(folderRequests(w.newAnalyses), Math.ceil(selected / icaPageSize)),
    destinationCheck: folderRequests(withFastqs),
    bsshMarkers: 2 * w.bsshMarkersToRead,
    linkBatches: batches,
    linkPolls: batches,
    manifests: 3 * linking.length,
    manifestReadBacks: linking.length,
    verification: links === 0 ? 0 : Math.max(folderRequests(linking), Math.ceil(links / icaPageSize)),
    icaLifecycle: w.dryRun ? 0 : w.icaActions,
    icaRereads: w.dryRun ? 0 : w.icaActions,
    basespaceLifecycle: w.dryRun ? 0 : bulkRequests + w.basespaceTrashItems + (w.emptyTrash ? 1 : 0),
    bulkRereads: bulkRequests,
    trashRereads: w.dryRun ? 0 : w.basespaceTrashItems,
  };
}

const bulkCalls = (ids: number): number => Math.ceil(ids / basespaceBulkSize);

/** Requests of a multi-folder listing (`filePath=…&filePath=…`) as the product batches them by query length. */
const folderRequests = (analyses: readonly NewAnalysisWork[]): number => batchByQueryLength(analyses.map((a) => a.folderPath), "filePath").length;

function datasetPages(aged: Workload["agedDatasets"]): number {
  if (aged.perNamedProject.length === 0) return 0;
  return Math.min(sum(aged.perNamedProject.map((n) => pages(n, basespacePageSize))), pages(aged.allProjects, basespacePageSize));
}

export function lowerBound(w: Workload): number {
  return sum(Object.values(lowerBoundTerms(w)));
}
