/**
 * Every choice the ICA simulator makes where the spec (shared/ica/openapi_public.yaml), the ICA docs and
 * our notes (shared/ica-api-notes.md) are silent or disagree. One constant per choice, each with the
 * reason, so that matching reality is a one-line change. docs/simulator.md (section "ica") lists them.
 * Those a delivery, deletion, archive or billed action depends on are switches instead, with
 * alternatives a run can choose (../assumption-switches.ts).
 */

// ── Errors and media types ────────────────────────────────────────────────────────────────────────

/** Problem `type`: the real problem-type URIs are undocumented; RFC 7807 says "about:blank" then. */
export const PROBLEM_TYPE = "about:blank";

/** Content-Type and Accept with different versions: the changelogs only say they "must match". */
export const VERSION_MISMATCH_STATUS: 406 | 415 = 406;

// ── Auth ──────────────────────────────────────────────────────────────────────────────────────────

/** A project of another tenant answers like a missing one, so ids of other tenants do not leak. */
export const FOREIGN_PROJECT_STATUS: 403 | 404 = 404;

/** JWT lifetime: set per tenant by its administrator (spec intro); 12 h is a common IAM default. */
export const JWT_TTL_MS = 12 * 3600_000;

// ── Paging (notes §3) ─────────────────────────────────────────────────────────────────────────────

/** pageSize when the client sends none: undocumented; small, so a client that forgets to page notices. */
export const DEFAULT_PAGE_SIZE = 100;

/** pageSize above `timings.icaMaxPageSize`: the maximum is undocumented, notes §3 allow clamp or 400. */
export const OVERSIZED_PAGE_SIZE: "clamp" | "reject" = "clamp";

/** Offset paging "has a result limit of 200K rows" (param description); past it we answer 400. */
export const OFFSET_PAGING_MAX_ROWS = 200_000;

/** `sort` together with `pageToken`: sort is "only for offset paging"; the token decides, sort is ignored. */
export const SORT_WITH_PAGE_TOKEN: "ignore-sort" | "reject" = "ignore-sort";

/**
 * `remainingRecords` is "only an estimate" [DOC-API]. With filters beyond the path/parent index we count
 * exactly while that means scanning at most this many candidates, else report the candidate count.
 */
export const REMAINING_RECORDS_EXACT_SCAN_LIMIT = 50_000;

/**
 * Cursor order of analyses without `sort` is undocumented: oldest first, so a poller walking the cursor
 * meets new analyses at the end. (Data is ordered by path, case-insensitively, then id; projects by name.)
 */
export const ANALYSES_NEWEST_FIRST = false;

// ── Data listing ──────────────────────────────────────────────────────────────────────────────────

/** `filenameMatchMode` has no default in the spec; without one, names must match exactly (case-sensitive). */
export const DEFAULT_FILENAME_MATCH_MODE: "EXACT" | "EXCLUDE" | "FUZZY" = "EXACT";

/** `GET data/{id}/children`: the spec is silent; [REF]'s manifest shows V4 children return all descendants. */
export const CHILDREN_ARE_RECURSIVE = true;

/** Spec filters this simulator does not implement: answered with 400 rather than silently ignored. */
export const UNSIMULATED_DATA_FILTERS = [
  "fullText",
  "formatId",
  "nonIndexedFolders",
  "userTag",
  "runInputTag",
  "runOutputTag",
  "connectorTag",
  "technicalTag",
  "notInRun",
  "notLinkedToSample",
  "instrumentRunId",
] as const;

// ── Analyses ──────────────────────────────────────────────────────────────────────────────────────

/**
 * How the deprecated V3 representations show V4-only statuses (the spec does not say): queued and
 * initializing are still "requested"; every other running phase is "in progress".
 */
export const V3_STATUS_OF_V4: Record<string, string> = {
  REQUESTED: "REQUESTED",
  QUEUED: "REQUESTED",
  INITIALIZING: "REQUESTED",
  PREPARING_INPUTS: "INPROGRESS",
  IN_PROGRESS: "INPROGRESS",
  GENERATING_OUTPUTS: "INPROGRESS",
  AWAITING_INPUT: "AWAITINGINPUT",
  ABORTING: "INPROGRESS",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  FAILED_FINAL: "FAILEDFINAL",
  ABORTED: "ABORTED",
};

/** `AnalysisOutput.code` (the output parameter's name) of the simulated pipelines' one output folder. */
export const ANALYSIS_OUTPUT_CODE = "output";

// ── Creating analyses (relaunch / requeue) ────────────────────────────────────────────────────────

/**
 * `AnalysisInput.code` of the one input every fixture analysis reports: a folder standing for what it
 * processed (a run folder, for BCLConvert). Its data id exists only as an analysis input, so the
 * project's data listings — and every count and digest built on them — are those of the fixture.
 */
export const ANALYSIS_INPUT_CODE = "input";

/** A create request naming a pipeline of another language than its endpoint's: undocumented; 400 naming the right endpoint. */
export const WRONG_LANGUAGE_STATUS = 400;

/**
 * Where a created analysis writes when the request names no `outputParentFolderId`. Real ICA picks per
 * launch route (BSSH: `/ilmn-analyses/`, API: the project root); `"origin"` uses the folder holding the
 * output of the analysis whose input it was given, so a relaunch's output sits beside the original's.
 */
export const CREATED_OUTPUT_PARENT: "origin" | "root" = "origin";

/** What a FAILED relaunch writes besides copies of its origin's marker files: the fixtures' failed shape. */
export const FAILED_RUN_LOG = { path: "output/Logs/Errors.log", sizeBytes: 4_096 } as const;

/** Request fields of the create endpoints the simulator does not model: a non-empty value is a 400, not silently ignored. */
export const UNSIMULATED_ANALYSIS_FIELDS = ["logs", "analysisOutput", "referenceDataParameters"] as const;

// ── Creating and uploading data ───────────────────────────────────────────────────────────────────

/** Status of a new file until its bytes arrive (notes §6: inferred). */
export const NEW_FILE_STATUS = "PARTIAL" as const;

/** Write credentials (not read-only) for data linked from another project: refused, like createUploadUrl. */
export const WRITE_CREDENTIALS_ONLY_IN_OWNING_PROJECT = true;

/** `rcloneTempCredentials.storageType` for the S3-backed storage: the spec types it as a free string. */
export const RCLONE_STORAGE_TYPE = "AWS_S3";

/** `serverSideEncryptionAlgorithm`: the spec's field description gives AES256 as the default. */
export const SERVER_SIDE_ENCRYPTION = "AES256";

// ── Archive / unarchive / delete ──────────────────────────────────────────────────────────────────

/** archive/unarchive/delete through a project the data is only linked into: refused (400). */
export const LIFECYCLE_ONLY_IN_OWNING_PROJECT = true;

// ── Linking ───────────────────────────────────────────────────────────────────────────────────────

/** Source data in these states ends its batch item FAILED (an upload in progress, data being deleted). */
export const UNLINKABLE_STATUSES: readonly string[] = ["PARTIAL", "DELETING"];

/** `Job.subjectType` of a linking batch's job: a free string; the spec's example names a schema (SampleCreationBatch). */
export const LINK_JOB_SUBJECT_TYPE = "ProjectDataLinkingBatch";

// ── Cosmetic values for required fields the fixture does not model ───────────────────────────────

export const COSMETIC = {
  billingMode: "PROJECT",
  analysisPriority: "MEDIUM",
  analysisStorageName: "Small",
  /** `ExecutionConfiguration`s every fixture analysis reports having run with (one single-, one multi-value). */
  analysisConfigurations: [
    { name: "strict-mode", multiValue: false, values: ["true"] },
    { name: "output-formats", multiValue: true, values: ["fastq.gz", "md5"] },
  ],
  /** Formats, pipelines and regions are "owned" by the platform, not by a fixture tenant. */
  platformTenantId: "00000000-0000-4000-a000-000000000001",
  platformTimeIso: "2020-01-01T00:00:00.000Z",
  regionCities: { US: "Portland", EU: "Frankfurt", GB: "London", AU: "Sydney", CA: "Montreal" } as Record<
    string,
    string
  >,
} as const;
