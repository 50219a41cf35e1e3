import { z } from "zod";
import { parseBaseSpaceDate } from "./dates.js";

/**
 * zod schemas for the BaseSpace answers the modules rely on (../shared/basespace/swagger-private-v2.json
 * definitions, v1pre3 shapes from [PYSDK]/[CSSDK] per ../shared/basespace-api-notes.md). Only fields we
 * read; unknown fields are allowed and dropped. Items come out camelCased.
 */

/** V2Error, or a v1pre3 ResponseStatus; read leniently, it only feeds error messages. */
export const errorBodySchema = z.object({
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
  RequestId: z.string().optional(),
  ResponseStatus: z.object({ ErrorCode: z.string().optional(), Message: z.string().optional() }).optional(),
});

const bsDate = z.string().transform((text, ctx) => {
  const ms = parseBaseSpaceDate(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "is not an ISO-8601 date" });
    return z.NEVER;
  }
  return ms;
});

const idRef = z.object({ Id: z.string() });

/** Counts of a v2 `Paging` object and of a v1pre3 ResourceList (same names, different nesting). */
const pagingCounts = z.object({
  TotalCount: z.number().int().min(0),
  DisplayedCount: z.number().int().min(0).optional(),
  /** The page size BaseSpace granted (ledger `bs.page-limit`). */
  Limit: z.number().int().min(0).optional(),
});

export function v2List<T extends z.ZodType>(item: T) {
  return z.object({ Items: z.array(item), Paging: pagingCounts });
}

export function v1pre3List<T extends z.ZodType>(item: T) {
  return z.object({ Response: pagingCounts.extend({ Items: z.array(item) }) });
}

/** `GET /v1pre3/oauthv2/token/current` ([CSSDK] AccessTokenDetails). */
export const tokenDetailsSchema = z.object({
  Response: z.object({ Scopes: z.array(z.string()), UserResourceOwner: idRef.optional() }),
});

/** V2User. */
export const userSchema = z
  .object({ Id: z.string(), Name: z.string().optional(), Email: z.string().optional() })
  .transform((u) => ({ id: u.Id, name: u.Name ?? null, email: u.Email ?? null }));
export type BsUser = z.output<typeof userSchema>;

/** V1pre3ProjectCompact, as listed by `GET /v1pre3/users/current/projects`. */
export const projectSchema = z
  .object({ Id: z.string(), Name: z.string(), UserOwnedBy: idRef.optional(), DateCreated: bsDate.optional() })
  .transform((p) => ({ id: p.Id, name: p.Name, ownerId: p.UserOwnedBy?.Id ?? null, createdAtMs: p.DateCreated ?? null }));
export type BsProject = z.output<typeof projectSchema>;

/** V2DatasetCompact. */
export const datasetSchema = z
  .object({
    Id: z.string(),
    Name: z.string(),
    DateCreated: bsDate,
    TotalSize: z.number().optional(),
    IsArchived: z.boolean(),
    Project: z.object({ Id: z.string(), Name: z.string().optional() }).optional(),
    UserOwnedBy: idRef.optional(),
  })
  .transform((d) => ({
    id: d.Id,
    name: d.Name,
    createdAtMs: d.DateCreated,
    sizeBytes: d.TotalSize ?? null,
    isArchived: d.IsArchived,
    projectId: d.Project?.Id ?? null,
    ownerId: d.UserOwnedBy?.Id ?? null,
  }));
export type BsDataset = z.output<typeof datasetSchema>;

/** V2RunCompact. */
export const runSchema = z
  .object({
    Id: z.string(),
    Name: z.string(),
    ExperimentName: z.string().optional(),
    Status: z.string().optional(),
    DateCreated: bsDate,
    TotalSize: z.number().optional(),
    IsArchived: z.boolean(),
    UserOwnedBy: idRef.optional(),
  })
  .transform((r) => ({
    id: r.Id,
    name: r.Name,
    experimentName: r.ExperimentName ?? null,
    status: r.Status ?? null,
    createdAtMs: r.DateCreated,
    sizeBytes: r.TotalSize ?? null,
    isArchived: r.IsArchived,
    ownerId: r.UserOwnedBy?.Id ?? null,
  }));
export type BsRun = z.output<typeof runSchema>;

/**
 * What is re-read of one dataset or run (V2Dataset / V2Run) right before an irreversible call on it: the
 * fields a decision rests on. Project is a dataset's only; Status a run's.
 */
export const itemStateSchema = z
  .object({
    Id: z.string(),
    Name: z.string(),
    IsArchived: z.boolean(),
    IsDeleted: z.boolean().optional(),
    DateCreated: bsDate.optional(),
    Project: idRef.optional(),
    UserOwnedBy: idRef.optional(),
    Status: z.string().optional(),
  })
  .transform((i) => ({
    id: i.Id,
    name: i.Name,
    isArchived: i.IsArchived,
    isDeleted: i.IsDeleted ?? false,
    createdAtMs: i.DateCreated ?? null,
    projectId: i.Project?.Id ?? null,
    ownerId: i.UserOwnedBy?.Id ?? null,
    status: i.Status ?? null,
  }));
export type BsItemState = z.output<typeof itemStateSchema>;

/** V1pre3TrashItemCompact: `Id` is the trash item's own id, not the dataset's or run's. */
export const trashItemSchema = z
  .object({
    Id: z.string(),
    Name: z.string().optional(),
    DateDeleted: bsDate.optional(),
    TotalSize: z.number().optional(),
    DeletedDataset: idRef.optional(),
    DeletedRun: idRef.optional(),
    UserDeletedBy: idRef.optional(),
  })
  .transform((t) => ({
    trashId: t.Id,
    name: t.Name ?? null,
    deletedAtMs: t.DateDeleted ?? null,
    sizeBytes: t.TotalSize ?? null,
    kind: t.DeletedDataset ? ("dataset" as const) : t.DeletedRun ? ("run" as const) : ("other" as const),
    itemId: t.DeletedDataset?.Id ?? t.DeletedRun?.Id ?? null,
    deletedByUserId: t.UserDeletedBy?.Id ?? null,
  }));
export type BsTrashItem = z.output<typeof trashItemSchema>;
