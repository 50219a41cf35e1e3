import { V4, type IcaClient } from "../../ica/client.js";
import type { IcaAnalysisConfiguration, IcaAnalysisInput } from "../../ica/schemas.js";

/** The create endpoints a structured-input relaunch can use, by pipeline language (spec L4457, L4581). */
const createRoutes = {
  NEXTFLOW: "/api/projects/{projectId}/analysis:nextflow",
  CWL: "/api/projects/{projectId}/analysis:cwlWithStructuredInput",
} as const;

/** `AnalysisDataInput` (L15745). */
interface RelaunchDataInput {
  parameterCode: string;
  dataIds: string[];
  mounts?: { dataId: string; mountPath: string }[];
  externalData?: { url: string; type: string; mountPath?: string }[];
}

/** `AnalysisParameterInput` (L15804): one of `value` / `multiValue`. */
type RelaunchParameter = { code: string; value: string } | { code: string; multiValue: string[] };

/**
 * A ready-to-send `CreateNextflowAnalysis` (L17913) or `CreateCwlWithStructuredInputAnalysis` (L18322);
 * both take the same structured input. Sent later, by a requeue feature, with an Idempotency-Key.
 */
export interface RelaunchRequest {
  route: (typeof createRoutes)[keyof typeof createRoutes];
  projectId: string;
  mediaType: typeof V4;
  body: {
    userReference: string;
    pipelineId: string;
    analysisStorageId?: string;
    tags: { technicalTags: string[]; userTags: string[]; referenceTags: string[] };
    analysisInput: { inputs: RelaunchDataInput[]; parameters: RelaunchParameter[] };
  };
  /** What the earlier analysis had (or may have had) that no GET endpoint exposes, so is not carried over. */
  notCarriedOver: string[];
}

const maxUserReference = 255;

/** userReference must match `^[a-zA-Z0-9 _-]*(/[a-zA-Z0-9 _-]+)*$` and be at most 255 characters. */
function safeUserReference(text: string): string {
  return text.replace(/[^a-zA-Z0-9 _/-]/g, "_").replace(/\/{ 2 }/g, "/").replace(/^\/|\/$/g, "").slice(0, maxUserReference);
}

/**
 * `<userReference>-requeue-<n>`: the name of the n-th relaunch of an analysis. Long references are cut
 * before the suffix, never through it, so the name always says which attempt it is — a crashed cycle
 * finds its attempt again by listing analyses with exactly this userReference.
 */
export function requeueUserReference(userReference: string, attempt: number): string {
  const suffix = `-requeue-${attempt}`;
  const base = safeUserReference(userReference).slice(0, maxUserReference - suffix.length).replace(/\/+$/, "");
  return `${base}${suffix}`;
}

function toDataInput(input: IcaAnalysisInput): RelaunchDataInput {
  const mounts = input.analysisData
    .filter((d): d is typeof d & { mountPath: string } => typeof d.mountPath === "string" && d.mountPath !== "")
    .map((d) => ({ dataId: d.dataId, mountPath: d.mountPath }));
  const externalData = input.externalData.map((e) => ({ url: e.url, type: e.type, ...(e.mountPath ? { mountPath: e.mountPath } : {}) }));
  return {
    parameterCode: input.code,
    dataIds: input.analysisData.map((d) => d.dataId),
    ...(mounts.length > 0 ? { mounts } : {}),
    ...(externalData.length > 0 ? { externalData } : {}),
  };
}

/** Execution configurations are the parameter values the analysis ran with (ExecutionConfiguration L17438). */
function toParameter(c: IcaAnalysisConfiguration): RelaunchParameter {
  return c.multiValue ? { code: c.name, multiValue: [...c.values] } : { code: c.name, value: c.values[0] ?? "" };
}

/**
 * Builds the request that would run an earlier analysis again: same pipeline, inputs (data ids, mounts,
 * external URLs), parameters and storage size, tags copied. Reads the analysis (V4), its inputs and its
 * configurations — three GETs, no write.
 */
export async function buildRelaunchRequest(
  ica: IcaClient,
  projectId: string,
  analysisId: string,
  opts: { userReference?: string } = {},
): Promise<RelaunchRequest> {
  const [analysis, inputs, configurations] = await Promise.all([
    ica.getAnalysis(projectId, analysisId),
    ica.getAnalysisInputs(projectId, analysisId),
    ica.getAnalysisConfigurations(projectId, analysisId),
  ]);
  const language = (analysis.pipeline.language ?? "UNKNOWN").toUpperCase();
  if (language !== "NEXTFLOW" && language !== "CWL") {
    throw new Error(
      `Cannot relaunch analysis ${analysisId}: its pipeline ${analysis.pipeline.code} has language ${language}; only NEXTFLOW and CWL pipelines can be started with a structured input`,
    );
  }
  const notCarriedOver = [
    "referenceDataParameters (no endpoint returns them for an existing analysis)",
    "outputParentFolderId, logs and analysisOutput mappings (ICA chooses defaults)",
    "activationCodeDetailId (ICA picks a matching activation code)",
  ];
  if (inputs.items.some((i) => i.externalData.length > 0)) {
    notCarriedOver.push("s3Details/basespaceDetails of external inputs (only url, type and mountPath are exposed)");
  }
  const tags = analysis.tags ?? { technicalTags: [], userTags: [], referenceTags: [] };
  return {
    route: createRoutes[language],
    projectId,
    mediaType: V4,
    body: {
      userReference: safeUserReference(opts.userReference ?? `${analysis.userReference}-requeue`),
      pipelineId: analysis.pipeline.id,
      ...(analysis.analysisStorage ? { analysisStorageId: analysis.analysisStorage.id } : {}),
      tags: { technicalTags: [...tags.technicalTags], userTags: [...tags.userTags], referenceTags: [...tags.referenceTags] },
      analysisInput: { inputs: inputs.items.map(toDataInput), parameters: configurations.items.map(toParameter) },
    },
    notCarriedOver,
  };
}
