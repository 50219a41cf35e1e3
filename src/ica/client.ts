import type { z } from "zod";
import { allOffsetItems, cursorItems, offsetItems, type OffsetPage } from "../http/paging.js";
import { BadRequestError, type ApiErrorFields } from "../http/errors.js";
import type { RequestStats } from "../http/request-stats.js";
import type { Endpoint } from "../http/response-schema.js";
import { HttpTransport, type ClientTuning, type RequestSpec } from "../http/transport.js";
import { normaliseAnalysisStatus, toV3Status } from "./analysis-status.js";
import {
  analysisConfigurationsSchema,
  analysisInputsSchema,
  analysisOutputsSchema,
  analysisSchema,
  linkingBatchSchema,
  linkingItemSchema,
  pagedList,
  presignedUrlSchema,
  problemSchema,
  projectDataSchema,
  projectSchema,
  tempCredentialsSchema,
  type IcaAnalysis,
  type IcaData,
  type IcaDataStatus,
  type IcaLinkingItem,
  type IcaProject,
  type IcaTempCredentials,
} from "./schemas.js";
import {
  eventLogSchema,
  itemList,
  notificationChannelSchema,
  notificationSubscriptionSchema,
  type IcaEventLog,
  type IcaNotificationChannel,
  type IcaNotificationSubscription,
} from "./notification-schemas.js";

/**
 * Media types (spec "Changelog" blocks): Accept and Content-Type must carry the same version.
 * @internal exported for the tests
 */
export const V3 = "application/vnd.illumina.v3+json";
export const V4 = "application/vnd.illumina.v4+json";

/** [WRAPICA] and [REF] both page by 1000; the real maximum is undocumented (notes §3). */
const defaultIcaPageSize = 1000;

/** Offset paging "has a result limit of 200K rows" (spec, pageOffset description). */
const offsetPagingMaxRows = 200_000;
/** Pages of a whole analysis listing fetched side by side: 1,000 analyses are ~1.2 MB of JSON each. */
const analysisPagesInFlight = 3;

export interface IcaClientOptions extends ClientTuning {
  /** The ICA server, e.g. `https://ica.illumina.com` (as `--server_url` / `server-url`); `/ica/rest` is appended. */
  serverUrl: string;
  apiKey: string;
}

export interface IcaDataFilter {
  filePath?: readonly string[];
  filePathMatchMode?: "STARTS_WITH_CASE_INSENSITIVE" | "FULL_CASE_INSENSITIVE";
  filename?: readonly string[];
  filenameMatchMode?: "EXACT" | "EXCLUDE" | "FUZZY";
  type?: "FILE" | "FOLDER";
  status?: readonly IcaDataStatus[];
  id?: readonly string[];
  /** One level only; must start and end with `/`. */
  parentFolderPath?: string;
}

export interface AnalysisQuery {
  /** Either spelling (sent as V4); several allowed. */
  statuses?: readonly string[];
  reference?: string;
  userReference?: string;
}

const projects = "/api/projects";
const project = "/api/projects/{projectId}";
const analysis = "/api/projects/{projectId}/analyses/{analysisId}";
const data = "/api/projects/{projectId}/data";
const dataItem = "/api/projects/{projectId}/data/{dataId}";
const linking = "/api/projects/{projectId}/dataLinkingBatch";

/**
 * Typed ICA v2 REST client: one method per endpoint the modules use, listings as item iterators.
 *
 * Authentication sends `X-API-Key` on every call rather than exchanging it for a JWT (`POST /api/tokens`):
 * a JWT minted from an API key cannot be refreshed (`/api/tokens:refresh` refuses it) and lives as long
 * as the tenant admin decides, so a long cycle would need expiry detection and re-minting — more moving
 * parts and one more secret in memory, for no saving: ICA documents no rate limit or speed-up for JWTs.
 */
export class IcaClient {
  readonly stats: RequestStats;
  private readonly api: HttpTransport;
  /** Presigned URLs go to object storage, without the API key and outside the ICA concurrency gate. */
  private readonly objects: HttpTransport;
  private readonly pageSize: number;

  constructor(opts: IcaClientOptions) {
    const common = {
      timeoutMs: opts.timeoutMs,
      concurrency: opts.concurrency,
      retry: opts.retry,
      random: opts.random,
      sleep: opts.sleep,
      secrets: [opts.apiKey],
    };
    this.api = new HttpTransport({
      ...common,
      service: "ica",
      baseUrl: icaRestBase(opts.serverUrl),
      headers: { "X-API-Key": opts.apiKey },
      stats: opts.stats,
      readErrorBody: readProblem,
    });
    this.stats = this.api.stats;
    this.objects = new HttpTransport({ ...common, service: "s3", stats: this.stats });
    this.pageSize = opts.pageSize ?? defaultIcaPageSize;
  }

  // ── Projects ──────────────────────────────────────────────────────────────────────────────────

  /** `search` is ICA's free-text filter; callers match names exactly themselves (names are not unique). */
  listProjects(search?: string): AsyncGenerator<IcaProject> {
    return this.cursor({ method: "GET", route: projects, query: { search }, mediaType: V3 }, projectSchema);
  }

  getProject(projectId: string): Promise<IcaProject> {
    return this.api.json({ method: "GET", route: project, params: { projectId }, mediaType: V3 }, projectSchema);
  }

  // ── Analyses ──────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST analysis:search` (L4176): the current listing, V4 items and several statuses per query. Quirk:
   * it answers with media type v3 but the AnalysisPagedListV4 schema, so it is requested as v3. A search
   * changes nothing, so it is replay-safe although it is a POST.
   */
  searchAnalyses(projectId: string, query: AnalysisQuery = {}): AsyncGenerator<IcaAnalysis> {
    return this.cursor(analysisSearch(projectId, query), analysisSchema);
  }

  /**
   * The same search, whole: offset pages fetched three at a time (sorted by reference, an order that
   * new analyses do not reshuffle much), a third of the round trips of the cursor listing — for
   * callers that hold the listing anyway. An analysis created or deleted while the pages are read may
   * show twice (callers de-duplicate by id) or be missed until the next listing; past the 200,000 rows
   * offset paging reaches, the cursor listing is used.
   */
  async searchAllAnalyses(projectId: string, query: AnalysisQuery = {}): Promise<IcaAnalysis[]> {
    const spec = analysisSearch(projectId, query);
    const fetchPage = this.offsetPage(spec, "reference", analysisSchema);
    const first = await fetchPage(0);
    if ((first.totalCount ?? 0) > offsetPagingMaxRows) {
      const all: IcaAnalysis[] = [];
      for await (const analysis of this.cursor(spec, analysisSchema)) all.push(analysis);
      return all;
    }
    return allOffsetItems((offset) => (offset === 0 ? Promise.resolve(first) : fetchPage(offset)), {
      pageSize: this.pageSize,
      pagesInFlight: analysisPagesInFlight,
    });
  }

  /**
   * The `count` SUCCEEDED analyses that ended last: one `analysis:search` page, filtered by status on the
   * server and sorted `endDate desc` (offset paging; the spec's sortable attributes include endDate).
   * The fast path of `watch` polls with it: when nothing is new, one call.
   */
  async latestSucceededAnalyses(projectId: string, count: number): Promise<IcaAnalysis[]> {
    const page = await this.api.json(
      { ...analysisSearch(projectId, { statuses: ["SUCCEEDED"] }), query: { pageSize: count, pageOffset: 0, sort: "endDate desc" } },
      pagedList(analysisSchema),
    );
    return page.items;
  }

  /** `GET analyses` (L3410, deprecated, V3 items and V3 status names; one status per query). */
  listAnalysesV3(projectId: string, filter: { status?: string; reference?: string } = {}): AsyncGenerator<IcaAnalysis> {
    return this.cursor(
      {
        method: "GET",
        route: `${project}/analyses`,
        params: { projectId },
        query: { status: filter.status === undefined ? undefined : toV3Status(filter.status), reference: filter.reference },
        mediaType: V3,
      },
      analysisSchema,
    );
  }

  /** V4 representation, so the newer statuses (QUEUED, GENERATING_OUTPUTS...) come through. */
  getAnalysis(projectId: string, analysisId: string): Promise<IcaAnalysis> {
    return this.api.json({ method: "GET", route: analysis, params: { projectId, analysisId }, mediaType: V4 }, analysisSchema);
  }

  getAnalysisOutputs(projectId: string, analysisId: string) {
    return this.analysisPart(projectId, analysisId, "outputs", analysisOutputsSchema);
  }

  getAnalysisInputs(projectId: string, analysisId: string) {
    return this.analysisPart(projectId, analysisId, "inputs", analysisInputsSchema);
  }

  getAnalysisConfigurations(projectId: string, analysisId: string) {
    return this.analysisPart(projectId, analysisId, "configurations", analysisConfigurationsSchema);
  }

  /**
   * `POST analysis:nextflow` (L4581) or `analysis:cwlWithStructuredInput` (L4457): creates and starts an
   * analysis. The Idempotency-Key makes a replay answer with the analysis the first request created, so
   * an ambiguous failure is retried without starting the pipeline twice (ICA keeps the key 7 days).
   */
  createAnalysis(
    request: { route: string; projectId: string; mediaType: string; body: unknown },
    idempotencyKey: string,
  ): Promise<IcaAnalysis> {
    return this.api.json(
      {
        method: "POST",
        route: request.route,
        params: { projectId: request.projectId },
        body: request.body,
        mediaType: request.mediaType,
        headers: { "Idempotency-Key": idempotencyKey },
        replaySafe: true,
      },
      analysisSchema,
    );
  }

  // ── Data ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * `GET data` (L5611). Cursor paging, unless `sort` is given: ICA sorts only in offset mode, which
   * stops at 200,000 rows and may repeat or skip rows, so use it only where order matters.
   */
  listData(projectId: string, filter: IcaDataFilter = {}, opts: { sort?: string } = {}): AsyncGenerator<IcaData> {
    const spec: RequestSpec = { method: "GET", route: data, params: { projectId }, query: { ...filter }, mediaType: V3 };
    return opts.sort === undefined ? this.cursor(spec, projectDataSchema) : this.offset(spec, opts.sort, projectDataSchema);
  }

  getData(projectId: string, dataId: string): Promise<IcaData> {
    return this.api.json({ method: "GET", route: dataItem, params: { projectId, dataId }, mediaType: V3 }, projectDataSchema);
  }

  /**
   * `POST data:createFile` (L12622). The Idempotency-Key makes a replay return the stored answer instead
   * of a second file, so this create may be retried after an ambiguous failure. A 409 means either "that
   * path exists" or "the first request with this key is still running" — the caller tells them apart.
   */
  createFile(
    projectId: string,
    file: { name: string; folderPath: string; formatCode?: string },
    idempotencyKey: string,
  ): Promise<IcaData> {
    return this.api.json(
      {
        method: "POST",
        route: `${data}:createFile`,
        params: { projectId },
        body: file,
        mediaType: V3,
        headers: { "Idempotency-Key": idempotencyKey },
        replaySafe: true,
      },
      projectDataSchema,
    );
  }

  /** The presigned URL expires; it is never logged (its query string is the signature). */
  async createDownloadUrl(projectId: string, dataId: string): Promise<string> {
    return (await this.dataAction(projectId, dataId, "createDownloadUrl", presignedUrlSchema)).url;
  }

  /** Works for new files and for overwriting a PARTIAL one, only in the owning project (L6926). */
  async createUploadUrl(projectId: string, dataId: string): Promise<string> {
    return (await this.dataAction(projectId, dataId, "createUploadUrl", presignedUrlSchema)).url;
  }

  /** AWS credentials for the data's object prefix, valid 36 h (L6968). */
  async createTemporaryCredentials(projectId: string, dataId: string, opts: { readOnly: boolean }): Promise<IcaTempCredentials> {
    const res = await this.api.json(
      {
        method: "POST",
        route: `${dataItem}:createTemporaryCredentials`,
        params: { projectId, dataId },
        body: { readOnlyCredentials: opts.readOnly },
        mediaType: V3,
        replaySafe: true,
      },
      tempCredentialsSchema,
    );
    return res.awsTempCredentials;
  }

  /**
   * `:archive`, `:unarchive`, `:delete` (L7085-7143): no body, 204, asynchronous, recursive for folders.
   * Never replayed by the transport (not even after a 429): the lifecycle step resolves a failure by
   * reading the data's status again (rereadIcaAction).
   */
  lifecycleAction(projectId: string, dataId: string, action: "archive" | "unarchive" | "delete"): Promise<void> {
    return this.api.empty({
      method: "POST",
      route: `${dataItem}:${action}`,
      params: { projectId, dataId },
      mediaType: V3,
      replay: "never",
    });
  }

  // ── Linking ───────────────────────────────────────────────────────────────────────────────────

  /**
   * `POST dataLinkingBatch` in V4 (L7470: faster; a folder is one item). Retried after ambiguous failures
   * on purpose: re-posting links nothing twice, since items already linked come back ALREADY_LINKED,
   * which callers count as success. The cost of a replay is at most one extra batch record.
   */
  createLinkingBatch(projectId: string, dataIds: readonly string[]) {
    return this.api.json(
      {
        method: "POST",
        route: linking,
        params: { projectId },
        body: { items: dataIds.map((dataId) => ({ dataId })) },
        mediaType: V4,
        replaySafe: true,
      },
      linkingBatchSchema,
    );
  }

  /** Only a v3 representation exists for the batch itself (L7519). */
  getLinkingBatch(projectId: string, batchId: string) {
    return this.api.json(
      { method: "GET", route: `${linking}/{batchId}`, params: { projectId, batchId }, mediaType: V3 },
      linkingBatchSchema,
    );
  }

  /** V4 items: V3 would report PARTIALLY_LINKED as FAILED (L7550). */
  listLinkingBatchItems(projectId: string, batchId: string, statuses?: readonly string[]): AsyncGenerator<IcaLinkingItem> {
    return this.cursor(
      {
        method: "GET",
        route: `${linking}/{batchId}/items`,
        params: { projectId, batchId },
        query: { status: statuses },
        mediaType: V4,
      },
      linkingItemSchema,
    );
  }

  // ── Notifications and the event log ──────────────────────────────────────────────────────────

  /** `GET /api/notificationChannels` (L2930): the tenant's channels, not paged. */
  async listNotificationChannels(): Promise<IcaNotificationChannel[]> {
    return (await this.api.json({ method: "GET", route: "/api/notificationChannels", mediaType: V3 }, itemList(notificationChannelSchema))).items;
  }

  /**
   * `POST /api/notificationChannels` (L2950). Not replayed after an ambiguous failure: ICA takes no
   * Idempotency-Key here, and `subscribe` finds a channel a lost answer created (by type and address) on its next run.
   */
  createNotificationChannel(channel: { type: "SQS" | "HTTP"; address: string; awsRegion?: string }): Promise<IcaNotificationChannel> {
    return this.api.json(
      { method: "POST", route: "/api/notificationChannels", body: { ...channel, enabled: true }, mediaType: V3 },
      notificationChannelSchema,
    );
  }

  /** `GET /api/projects/{projectId}/notificationSubscriptions` (L8338), not paged. */
  async listNotificationSubscriptions(projectId: string): Promise<IcaNotificationSubscription[]> {
    const list = await this.api.json(
      { method: "GET", route: `${project}/notificationSubscriptions`, params: { projectId }, mediaType: V3 },
      itemList(notificationSubscriptionSchema),
    );
    return list.items;
  }

  /** `POST /api/projects/{projectId}/notificationSubscriptions` (L8363); not replayed, as channels. */
  createNotificationSubscription(
    projectId: string,
    subscription: { eventCode: string; notificationChannelId: string; filterExpression: string },
  ): Promise<IcaNotificationSubscription> {
    return this.api.json(
      {
        method: "POST",
        route: `${project}/notificationSubscriptions`,
        params: { projectId },
        body: { ...subscription, payloadVersion: "V4", enabled: true },
        mediaType: V3,
      },
      notificationSubscriptionSchema,
    );
  }

  /** `POST /api/eventLog:search` (L12561): events of `code` from `dateFrom` on, oldest first. A search changes nothing. */
  searchEventLog(query: { code: string; dateFrom: string }): AsyncGenerator<IcaEventLog> {
    return this.cursor({ method: "POST", route: "/api/eventLog:search", body: query, mediaType: V4, replaySafe: true }, eventLogSchema);
  }

  // ── Presigned URLs ────────────────────────────────────────────────────────────────────────────

  downloadFromUrl(url: string): Promise<Buffer> {
    return this.objects.bytes({ method: "GET", route: "{presignedUrl}", url, mediaType: "*/*" });
  }

  /** A PUT of the whole object: repeating it rewrites the same bytes, so it is replay-safe. */
  uploadToUrl(url: string, bytes: Buffer, contentType = "application/octet-stream"): Promise<void> {
    return this.objects.empty({
      method: "PUT",
      route: "{presignedUrl}",
      url,
      body: bytes,
      mediaType: "*/*",
      headers: { "Content-Type": contentType },
    });
  }

  // ── Helpers ───────────────────────────────────────────────────────────────────────────────────

  private analysisPart<S extends z.ZodType>(projectId: string, analysisId: string, part: string, schema: S) {
    return this.api.json(
      { method: "GET", route: `${analysis}/${part}`, params: { projectId, analysisId }, mediaType: V3 },
      schema,
    );
  }

  private dataAction<S extends z.ZodType>(projectId: string, dataId: string, action: string, schema: S) {
    return this.api.json(
      { method: "POST", route: `${dataItem}:${action}`, params: { projectId, dataId }, mediaType: V3, replaySafe: true },
      schema,
    );
  }

  private cursor<S extends z.ZodType>(spec: RequestSpec, item: S): AsyncGenerator<z.output<S>> {
    const schema = pagedList(item);
    return cursorItems(endpointOf(spec), async (pageToken) =>
      this.api.json({ ...spec, query: { ...spec.query, pageSize: this.pageSize, pageToken } }, schema),
    );
  }

  private offsetPage<S extends z.ZodType>(spec: RequestSpec, sort: string, item: S) {
    const schema = pagedList(item);
    return async (pageOffset: number): Promise<OffsetPage<z.output<S>>> => {
      const page = await this.api.json({ ...spec, query: { ...spec.query, pageSize: this.pageSize, pageOffset, sort } }, schema);
      return { items: page.items, totalCount: page.totalItemCount ?? undefined };
    };
  }

  private offset<S extends z.ZodType>(spec: RequestSpec, sort: string, item: S): AsyncGenerator<z.output<S>> {
    return offsetItems(
      this.offsetPage(spec, sort, item),
      {
        pageSize: this.pageSize,
        maxOffset: offsetPagingMaxRows,
        onMaxOffset: () =>
          new BadRequestError({
            ...endpointOf(spec),
            attempts: 1,
            detail: `offset paging (used with sort) stops at ${offsetPagingMaxRows} rows; list without sort to use cursor paging`,
          } satisfies ApiErrorFields),
      },
    );
  }
}

/** `POST analysis:search` (L4176) with V4 status names in the body. */
function analysisSearch(projectId: string, query: AnalysisQuery): RequestSpec {
  return {
    method: "POST",
    route: `${project}/analysis:search`,
    params: { projectId },
    body: {
      status: query.statuses && query.statuses.length > 0 ? query.statuses.map(normaliseAnalysisStatus) : undefined,
      reference: query.reference,
      userReference: query.userReference,
    },
    mediaType: V3,
    replaySafe: true,
  };
}

/** The spec's server is `/ica/rest` (L29); a URL that already ends with it is kept as is. */
export function icaRestBase(serverUrl: string): string {
  const trimmed = serverUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/ica/rest") ? trimmed : `${trimmed}/ica/rest`;
}

function endpointOf(spec: RequestSpec): Endpoint {
  return { service: "ica", method: spec.method, route: spec.route };
}

function readProblem(body: unknown) {
  const p = problemSchema.safeParse(body);
  return p.success ? { title: p.data.title, detail: p.data.detail, requestId: p.data.id } : {};
}
