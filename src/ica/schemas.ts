import { z } from "zod";
import { normaliseAnalysisStatus } from "./analysis-status.js";

/**
 * zod schemas for the ICA answers the modules rely on (spec: ../shared/ica/openapi_public.yaml). Only
 * the fields we read are declared; unknown fields are allowed and dropped. Line numbers are the spec's.
 */

/** RFC 7807 Problem (L13165), read leniently: it only feeds error messages. */
export const problemSchema = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  id: z.string().optional(),
});

/** Cursor/offset paged list envelope (e.g. ProjectDataPagedList L19025). */
export function pagedList<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextPageToken: z.string().nullish(),
    totalItemCount: z.number().int().nullish(),
  });
}

/** Project (L14005). */
export const projectSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  dataSharingEnabled: z.boolean().nullish(),
});
export type IcaProject = z.output<typeof projectSchema>;

const tagList = z.array(z.string()).nullish().transform((v) => v ?? []);

/** The fields AnalysisV3 (L16828) and AnalysisV4 (L17085) share; status in the V4 spelling. */
export const analysisSchema = z.object({
  id: z.string().min(1),
  reference: z.string(),
  userReference: z.string(),
  status: z.string().transform(normaliseAnalysisStatus),
  pipeline: z.object({
    id: z.string(),
    code: z.string(),
    language: z.string().nullish(),
  }),
  timeCreated: z.string(),
  startDate: z.string().nullish().transform((v) => v ?? null),
  endDate: z.string().nullish().transform((v) => v ?? null),
  analysisStorage: z.object({ id: z.string(), name: z.string().nullish() }).nullish(),
  tags: z
    .object({ technicalTags: tagList, userTags: tagList, referenceTags: tagList })
    .nullish(),
});
export type IcaAnalysis = z.output<typeof analysisSchema>;

/** AnalysisData (L17327), as found in outputs and inputs. */
const analysisDataSchema = z.object({
  dataId: z.string().min(1),
  name: z.string(),
  dataType: z.enum(["FILE", "FOLDER"]),
});

/** AnalysisOutputList (L17421). */
export const analysisOutputsSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      projectId: z.string().nullish(),
      data: z.array(analysisDataSchema).nullish().transform((v) => v ?? []),
    }),
  ),
});
export type IcaAnalysisOutput = z.output<typeof analysisOutputsSchema>["items"][number];

/** AnalysisInputList (L17395). */
export const analysisInputsSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      analysisData: z
        .array(analysisDataSchema.extend({ mountPath: z.string().nullish() }))
        .nullish()
        .transform((v) => v ?? []),
      externalData: z
        .array(z.object({ url: z.string(), type: z.string(), mountPath: z.string().nullish() }))
        .nullish()
        .transform((v) => v ?? []),
    }),
  ),
});
export type IcaAnalysisInput = z.output<typeof analysisInputsSchema>["items"][number];

/** ExecutionConfigurationList (L17457): the parameter values an analysis ran with. */
export const analysisConfigurationsSchema = z.object({
  items: z.array(z.object({ name: z.string(), multiValue: z.boolean(), values: z.array(z.string()) })),
});
export type IcaAnalysisConfiguration = z.output<typeof analysisConfigurationsSchema>["items"][number];

const icaDataStatuses = ["PARTIAL", "AVAILABLE", "ARCHIVING", "ARCHIVED", "UNARCHIVING", "DELETING"] as const;
export type IcaDataStatus = (typeof icaDataStatuses)[number];

/** Data (L13780) with DataDetails (L13689), flattened to what callers use. */
const dataSchema = z
  .object({
    id: z.string().min(1),
    details: z.object({
      name: z.string(),
      /** Full path including the name; folders end in `/` (notes §6: the spec's description misleads). */
      path: z.string(),
      status: z.enum(icaDataStatuses),
      dataType: z.enum(["FILE", "FOLDER"]),
      fileSizeInBytes: z.number().int().nullish(),
      /** The object's ETag as the cloud provider gave it: an MD5, or `<md5>-<parts>` for multipart uploads. */
      objectETag: z.string().nullish(),
      owningProjectId: z.string(),
      timeCreated: z.string(),
      format: z.object({ code: z.string().nullish() }).nullish(),
    }),
  })
  .transform((d) => ({
    id: d.id,
    name: d.details.name,
    path: d.details.path,
    status: d.details.status,
    dataType: d.details.dataType,
    sizeBytes: d.details.fileSizeInBytes ?? null,
    objectETag: d.details.objectETag ?? null,
    owningProjectId: d.details.owningProjectId,
    timeCreated: d.details.timeCreated,
    formatCode: d.details.format?.code ?? null,
  }));

/** ProjectData (L19014): a data item as seen from one project (linked data keeps its owning project). */
export const projectDataSchema = z
  .object({ projectId: z.string(), data: dataSchema })
  .transform((pd) => ({ ...pd.data, projectId: pd.projectId }));
export type IcaData = z.output<typeof projectDataSchema>;

/** Download (L15347) / Upload (L19138): a presigned URL. */
export const presignedUrlSchema = z.object({ url: z.string().url() });

/** TempCredentials (L19222) in the AWS form (no `credentialsFormat`). */
export const tempCredentialsSchema = z.object({
  awsTempCredentials: z.object({
    accessKey: z.string().min(1),
    secretKey: z.string().min(1),
    sessionToken: z.string().min(1),
    region: z.string().min(1),
    bucket: z.string().min(1),
    objectPrefix: z.string(),
    serverSideEncryptionAlgorithm: z.string().nullish(),
  }),
});
export type IcaTempCredentials = z.output<typeof tempCredentialsSchema>["awsTempCredentials"];

/** Job statuses (L13950). Terminal: the last four. */
const linkingJobStatuses = [
  "INITIALIZED",
  "WAITING_FOR_RESOURCES",
  "RUNNING",
  "SUCCEEDED",
  "PARTIALLY_SUCCEEDED",
  "FAILED",
  "STOPPED",
] as const;
export type LinkingJobStatus = (typeof linkingJobStatuses)[number];

/** ProjectDataLinkingBatch (L19517). */
export const linkingBatchSchema = z.object({
  id: z.string().min(1),
  job: z.object({
    status: z.enum(linkingJobStatuses),
    additionalStatusInformation: z.string().nullish(),
  }),
});

/**
 * ProjectDataLinkingBatchItemV4 (L19596). Item statuses are spelled unlike the Job enum (INITIALISED,
 * WAITING_RESOURCES, LINKED, ALREADY_LINKED, PARTIALLY_LINKED...) and V4 says more may come: a string.
 */
export const linkingItemSchema = z
  .object({
    id: z.string(),
    request: z.object({ dataId: z.string() }),
    processing: z.object({ status: z.string(), additionalStatusInformation: z.string().nullish() }),
  })
  .transform((i) => ({
    itemId: i.id,
    dataId: i.request.dataId,
    status: i.processing.status,
    info: i.processing.additionalStatusInformation ?? null,
  }));
export type IcaLinkingItem = z.output<typeof linkingItemSchema>;
