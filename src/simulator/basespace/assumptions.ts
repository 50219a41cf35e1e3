/**
 * Every BaseSpace behaviour the sources (../shared/basespace-api-notes.md, the v2 swagger) leave open,
 * as one named value with the reason for the choice. docs/simulator.md (section basespace) lists them.
 * Those a delivery, deletion, archive or billed action depends on are switches instead, with
 * alternatives a run can choose (../assumption-switches.ts).
 */

/** Page size when `Limit` is absent — [NOTES-BS] §4, from the search API reference. */
export const DEFAULT_LIMIT = 10;

/** Header carrying the request id on every response; V2Error.RequestId repeats it. Name not documented. */
export const REQUEST_ID_HEADER = "x-request-id";

/** Scopes: a route lists the scopes of which any one suffices. Reads accept BROWSE or READ (READ implies BROWSE in the permissions guide). */
export const SCOPE_READ = ["BROWSE GLOBAL", "READ GLOBAL"] as const;

/** Archive/restore change storage class of data the token can write: WRITE GLOBAL ([REF]'s README asks for it; no source ties it to archive). */
export const SCOPE_ARCHIVE = ["WRITE GLOBAL"] as const;

/** Moving to and restoring from the trash: the scope [REF] checks before deleting. */
export const SCOPE_TRASH = ["MOVETOTRASH GLOBAL"] as const;

/** Emptying the trash: the scope [REF] checks before `DELETE /v2/trash`. */
export const SCOPE_EMPTY_TRASH = ["EMPTY TRASH"] as const;

/** The UI's bulk limit ([ARCH]: up to 250 items at once); larger archive/restore bodies get 400. */
export const MAX_BULK_IDS = 250;

/** Runs can be archived only in a terminal state ([ARCH]). */
export const TERMINAL_RUN_STATUSES = ["Complete", "Stopped", "Failed"] as const;

/**
 * Every token sees every project, dataset and run of the fixture, as in a workgroup; items owned by another
 * user count as "shared with you", which [ARCH] makes ineligible for archive, and which only the owner may trash.
 */
export const OTHERS_ITEMS_ARE_SHARED = true;

/**
 * A trashed (not yet purged) item is still readable by id with IsDeleted=true (the field exists on every
 * shape, so deleted items must be returned somewhere); it is absent from listings ([NOTES-BS] §12).
 */
export const TRASHED_ITEMS_READABLE_BY_ID = true;

/**
 * A permanently deleted item answers 410 with this code — seen in a public BaseSpace SDK log
 * ("This resource and its underlying data has been removed by its owner (BASESPACE.COMMON.RESOURCE_REMOVED)").
 */
const REMOVED_ERROR_CODE = "BASESPACE.COMMON.RESOURCE_REMOVED";

/** TrashStatus values: the swagger gives the field but no enum. */
export const TRASH_STATUS_IN_TRASH = "InTrash";
export const TRASH_STATUS_RESTORED = "Restored";

/** The fixture has no dataset type; FASTQ datasets in BaseSpace use this type id (as shown by the `bs` CLI). */
export const DATASET_TYPE = { Id: "illumina.fastq.v1.8", Name: "FASTQ" } as const;

/** Default sort when `SortBy` is absent; creation order is what a housekeeping client pages through. */
export const DEFAULT_SORT = { datasets: "DateCreated", runs: "DateCreated", trash: "DateDeleted", projects: "Id" } as const;

/**
 * v1pre3 sort fields (no source lists them): projects take the names a v1pre3 ResourceList of projects
 * would carry; runs reuse the v2 run enum from the swagger.
 */
export const V1PRE3_PROJECT_SORT_FIELDS = ["Id", "Name", "DateCreated", "DateModified"] as const;

/** The user's account creation date is not in the fixture; a fixed age keeps it stable between runs. */
export const USER_CREATED_DAYS_AGO = 3650;

/**
 * `GET /v1pre3/oauthv2/token/current` returns the token itself in [CSSDK]'s model; the simulator shows
 * only its last four characters so that a client logging the response cannot leak it.
 */
export const TOKEN_VISIBLE_SUFFIX = 4;

/**
 * Error codes: only RESOURCE_REMOVED was seen in the wild; the others are the HTTP status phrase, as the
 * simulator core spells them for its own BaseSpace errors (unknown route, injected faults).
 */
export const ERROR_CODES = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  notFound: "NotFound",
  badRequest: "BadRequest",
  unsupportedMediaType: "UnsupportedMediaType",
  removed: REMOVED_ERROR_CODE,
} as const;
