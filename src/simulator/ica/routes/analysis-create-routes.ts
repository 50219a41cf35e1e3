import { z } from "zod";
import type { Router } from "../../http/router.js";
import { toAnalysis } from "../analysis-representation.js";
import { UNSIMULATED_ANALYSIS_FIELDS } from "../assumptions.js";
import { type IcaRuntime, apiBase, icaRoute, idempotent, requireProject, v3OrV4 } from "../ica-route.js";
import { type MediaTypes, vendorJson } from "../media-type.js";
import { badRequest } from "../problem.js";
import { readJsonBody } from "../request-body.js";

const nullableStrings = z.array(z.string().nullable()).nullish();

/** The structured input both endpoints take (`NextflowAnalysisInput` L15920, `CwlAnalysisWithStructuredInput` L18360). */
const structuredInput = z.object({
  inputs: z.array(
    z.object({
      parameterCode: z.string().min(1),
      dataIds: z.array(z.string().min(1)).nullish(),
      mounts: z.array(z.object({ dataId: z.string().min(1), mountPath: z.string().min(1) })).nullish(),
      externalData: z
        .array(z.object({ url: z.string().min(1), type: z.string().regex(/^(s3|http|basespace)$/, "must be s3, http or basespace"), mountPath: z.string().nullish() }))
        .nullish(),
    }),
  ),
  parameters: z.array(z.object({ code: z.string().nullish(), value: z.string().nullish(), multiValue: nullableStrings })).nullish(),
  referenceDataParameters: z.array(z.unknown()).nullish(),
});

/** `CreateNextflowAnalysis` (L17913) and `CreateCwlWithStructuredInputAnalysis` (L18322) differ only in fields not simulated. */
const createAnalysis = z.object({
  userReference: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-zA-Z0-9 _-]*(\/[a-zA-Z0-9 _-]+)*$/, "may hold letters, digits, spaces, _ and -, in parts separated by single /"),
  pipelineId: z.string().min(1),
  tags: z.object({ technicalTags: nullableStrings, userTags: nullableStrings, referenceTags: nullableStrings }).nullish(),
  analysisStorageId: z.string().nullish(),
  outputParentFolderId: z.string().nullish(),
  activationCodeDetailId: z.string().nullish(),
  logs: z.unknown().optional(),
  analysisOutput: z.unknown().optional(),
  analysisInput: structuredInput,
});
type CreateAnalysisBody = z.output<typeof createAnalysis>;

const isGiven = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

function refuseUnsimulated(body: CreateAnalysisBody): void {
  const given: Record<(typeof UNSIMULATED_ANALYSIS_FIELDS)[number], unknown> = {
    logs: body.logs,
    analysisOutput: body.analysisOutput,
    referenceDataParameters: body.analysisInput.referenceDataParameters,
  };
  const field = UNSIMULATED_ANALYSIS_FIELDS.find((name) => isGiven(given[name]));
  if (field) throw badRequest(`${field} is not simulated; leave it out so that ICA's defaults apply`, { [field]: "not simulated" });
}

const v4Only: MediaTypes = { responses: ["v4"], requests: ["v4"] };

/**
 * `POST analysis:nextflow` (L4581; v3 or v4) and `POST analysis:cwlWithStructuredInput` (L4457; v4 only):
 * 201 with the new analysis, REQUESTED; `Idempotency-Key` honoured. See AnalysisLaunches for what follows.
 */
export function registerAnalysisCreateRoutes(router: Router, rt: IcaRuntime): void {
  const routes: ReadonlyArray<readonly [operation: string, media: MediaTypes]> = [
    ["analysis:nextflow", v3OrV4],
    ["analysis:cwlWithStructuredInput", v4Only],
  ];
  for (const [operation, media] of routes) {
    router.add(
      "POST",
      `${apiBase}/projects/{projectId}/${operation}`,
      icaRoute(rt, { media }, (call) => {
        const project = requireProject(rt, call);
        return idempotent(rt, call, () => {
          const body = readJsonBody(call.req, createAnalysis);
          refuseUnsimulated(body);
          const analysis = rt.launches.create(project, body, operation);
          return vendorJson(201, call.version, toAnalysis(analysis, call.version, rt.directory));
        });
      }),
    );
  }
}
