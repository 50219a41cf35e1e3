import type { FixtureFile, icaAnalysisStatusesV4, icaPipelineLanguages, icaRequeueOutcomes } from "../fixtures/format.js";
import { COSMETIC, V3_STATUS_OF_V4 } from "./assumptions.js";
import type { DataType } from "./data-item.js";
import { dataFormat } from "./data-format.js";
import type { Directory, ProjectEntry } from "./directory.js";
import { stableUuid } from "./ids.js";

export type AnalysisStatusV4 = (typeof icaAnalysisStatusesV4)[number];
export type PipelineLanguage = (typeof icaPipelineLanguages)[number];

/** One `AnalysisInput` (spec L17375): data resolved when the analysis was created, so later deletions do not change it. */
export interface AnalysisInputRecord {
  code: string;
  analysisData: { dataId: string; name: string; dataType: DataType; formatCode: string; mountPath?: string }[];
  externalData: { url: string; type: string; mountPath?: string }[];
}

/** One `ExecutionConfiguration` (spec L17438). */
export interface AnalysisConfigurationRecord {
  name: string;
  multiValue: boolean;
  values: readonly string[];
}

/** What relaunching an analysis does (fixture fields `requeueOutcome`, `requeueFiles`). */
interface RelaunchBehaviour {
  outcome: (typeof icaRequeueOutcomes)[number];
  /** Undefined: a copy of the analysis' output folder as it is when the relaunch finishes. */
  files?: readonly FixtureFile[];
}

export interface AnalysisRecord {
  id: string;
  projectId: string;
  reference: string;
  userReference: string;
  pipelineCode: string;
  status: AnalysisStatusV4;
  timeCreatedMs: number;
  startMs: number | null;
  endMs: number | null;
  /** Ends with `/`; its folder is the analysis' one output. */
  outputFolderPath: string;
  tags: { technicalTags: string[]; userTags: string[]; referenceTags: string[] };
  pipelineLanguage: PipelineLanguage;
  inputs: AnalysisInputRecord[];
  configurations: readonly AnalysisConfigurationRecord[];
  /**
   * The fixture analysis whose work this one repeats (itself, for a fixture analysis): a relaunch takes
   * its outcome and outputs from there. Undefined for an analysis created from unrelated data.
   */
  originId?: string;
  /** Set on fixture analyses only. */
  relaunch?: RelaunchBehaviour;
}

/** The id ICA gives a pipeline, derived from its code (pipelines are not part of the fixture). */
export const pipelineIdOf = (code: string): string => stableUuid("pipeline", code);

/** The id of the analysis storage every simulated analysis uses. */
export const analysisStorageId = (): string => stableUuid("analysis-storage", COSMETIC.analysisStorageName);

export const v3Status = (status: AnalysisStatusV4): string => V3_STATUS_OF_V4[status] ?? status;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const platform = {
  timeCreated: COSMETIC.platformTimeIso,
  timeModified: COSMETIC.platformTimeIso,
};

function storage(version: "v3" | "v4"): Record<string, unknown> {
  const base = { id: analysisStorageId(), name: COSMETIC.analysisStorageName };
  return version === "v3" ? { ...base, ...platform, ownerId: COSMETIC.platformTenantId, tenantId: COSMETIC.platformTenantId } : base;
}

function pipeline(code: string, language: PipelineLanguage, version: "v3" | "v4"): Record<string, unknown> {
  const common = {
    id: pipelineIdOf(code),
    ...platform,
    code,
    description: `${code} pipeline`,
    language,
    pipelineTags: { technicalTags: [] },
    analysisStorage: storage(version),
  };
  return version === "v3"
    ? { ...common, ownerId: COSMETIC.platformTenantId, tenantId: COSMETIC.platformTenantId }
    : { ...common, owner: { id: COSMETIC.platformTenantId }, tenant: { id: COSMETIC.platformTenantId, name: "Illumina" } };
}

/** `AnalysisV3` (spec L16828) or `AnalysisV4` (L17085): V4 has identifier objects and the finer statuses. */
export function toAnalysis(analysis: AnalysisRecord, version: "v3" | "v4", directory: Directory): Record<string, unknown> {
  const project = directory.project(analysis.projectId) as ProjectEntry;
  const common = {
    id: analysis.id,
    timeCreated: iso(analysis.timeCreatedMs),
    timeModified: iso(analysis.endMs ?? analysis.startMs ?? analysis.timeCreatedMs),
    reference: analysis.reference,
    userReference: analysis.userReference,
    pipeline: pipeline(analysis.pipelineCode, analysis.pipelineLanguage, version),
    startDate: iso(analysis.startMs),
    endDate: iso(analysis.endMs),
    summary: "",
    analysisStorage: storage(version),
    analysisPriority: COSMETIC.analysisPriority,
    tags: analysis.tags,
  };
  return version === "v3"
    ? { ...common, ownerId: project.ownerId, tenantId: project.tenantUuid, tenantName: project.tenantName, status: v3Status(analysis.status) }
    : { ...common, owner: { id: project.ownerId }, tenant: { id: project.tenantUuid, name: project.tenantName }, status: analysis.status };
}

/** `AnalysisInputList` (spec L17395). */
export function toInputs(analysis: AnalysisRecord): Record<string, unknown> {
  return {
    items: analysis.inputs.map((input) => ({
      code: input.code,
      analysisData: input.analysisData.map(({ formatCode, mountPath, ...data }) => ({
        ...data,
        format: dataFormat(formatCode),
        ...(mountPath === undefined ? {} : { mountPath }),
      })),
      externalData: input.externalData.map((e) => ({ url: e.url, type: e.type, mountPath: e.mountPath ?? "" })),
    })),
  };
}

/** `ExecutionConfigurationList` (spec L17457). */
export function toConfigurations(analysis: AnalysisRecord): Record<string, unknown> {
  return { items: analysis.configurations.map((c) => ({ name: c.name, multiValue: c.multiValue, values: [...c.values] })) };
}
