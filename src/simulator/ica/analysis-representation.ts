import type { icaAnalysisStatusesV4 } from "../fixtures/format.js";
import { COSMETIC, V3_STATUS_OF_V4 } from "./assumptions.js";
import type { Directory, ProjectEntry } from "./directory.js";
import { stableUuid } from "./ids.js";

export type AnalysisStatusV4 = (typeof icaAnalysisStatusesV4)[number];

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
}

export const v3Status = (status: AnalysisStatusV4): string => V3_STATUS_OF_V4[status] ?? status;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const platform = {
  timeCreated: COSMETIC.platformTimeIso,
  timeModified: COSMETIC.platformTimeIso,
};

function storage(version: "v3" | "v4"): Record<string, unknown> {
  const base = { id: stableUuid("analysis-storage", COSMETIC.analysisStorageName), name: COSMETIC.analysisStorageName };
  return version === "v3" ? { ...base, ...platform, ownerId: COSMETIC.platformTenantId, tenantId: COSMETIC.platformTenantId } : base;
}

function pipeline(code: string, version: "v3" | "v4"): Record<string, unknown> {
  const common = {
    id: stableUuid("pipeline", code),
    ...platform,
    code,
    description: `${code} pipeline`,
    language: COSMETIC.pipelineLanguage,
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
    pipeline: pipeline(analysis.pipelineCode, version),
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
