import type { SimContext } from "../context.js";
import {
  type AnalysisConfigurationRecord,
  type AnalysisInputRecord,
  type AnalysisRecord,
  type AnalysisStatusV4,
  type PipelineLanguage,
  analysisStorageId,
  pipelineIdOf,
} from "./analysis-representation.js";
import { CREATED_OUTPUT_PARENT, WRONG_LANGUAGE_STATUS } from "./assumptions.js";
import { parentPathOf } from "./data-item.js";
import type { DataStore } from "./data-store.js";
import type { ProjectEntry } from "./directory.js";
import { stableUuid } from "./ids.js";
import { currentOutput, relaunchOutputs, writeOutputs } from "./relaunch-outputs.js";
import { ProblemError, badRequest } from "./problem.js";

/** The fields of `CreateNextflowAnalysis` (L17913) / `CreateCwlWithStructuredInputAnalysis` (L18322) the simulator uses. */
export interface CreateAnalysisRequest {
  userReference: string;
  pipelineId: string;
  analysisStorageId?: string | null;
  outputParentFolderId?: string | null;
  tags?: { technicalTags?: (string | null)[] | null; userTags?: (string | null)[] | null; referenceTags?: (string | null)[] | null } | null;
  analysisInput: {
    inputs: { parameterCode: string; dataIds?: string[] | null; mounts?: { dataId: string; mountPath: string }[] | null; externalData?: { url: string; type: string; mountPath?: string | null }[] | null }[];
    parameters?: { code?: string | null; value?: string | null; multiValue?: (string | null)[] | null }[] | null;
  };
}

/** Which endpoint starts a pipeline of each language with a structured input. */
const createRouteOf: Partial<Record<PipelineLanguage, string>> = {
  NEXTFLOW: "analysis:nextflow",
  CWL: "analysis:cwlWithStructuredInput",
};

/** The spec makes these arrays and their items nullable; null items carry nothing. */
const present = (values: (string | null)[] | null | undefined): string[] => (values ?? []).filter((v): v is string => v !== null);

/**
 * Analyses created through the API. Each starts REQUESTED, is QUEUED on the next request, IN_PROGRESS
 * (with an empty output folder) after `timings.icaAnalysisQueueMs`, and ends `timings.icaAnalysisRunMs`
 * later as its origin's fixture says (`requeueOutcome`), writing its outputs then. The origin is the
 * fixture analysis whose input it was given: a relaunch repeats that analysis' work. Under
 * `ica.relaunch-definition=fails-before-start` it ends FAILED when it would have started, never started.
 */
export class AnalysisLaunches {
  /** Synthetic input data ids of fixture analyses → the analysis that reported them. */
  private readonly inputOrigins = new Map<string, AnalysisRecord>();
  private readonly generations = new Map<string, number>();
  /** Copies finishLike made of each origin, for their ids and run folders. */
  private readonly copies = new Map<string, number>();
  /** Bumped whenever an analysis is created or changes status: cached offset listings of analyses key on it. */
  version = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly store: DataStore,
    private readonly analyses: Map<string, AnalysisRecord>,
    /** Told of every status change (the analysis already carries the new status): ICA_EXEC_028 events. */
    private readonly statusChanged: (analysis: AnalysisRecord, previous: AnalysisStatusV4) => void,
  ) {
    for (const analysis of analyses.values()) {
      for (const input of analysis.inputs) for (const data of input.analysisData) this.inputOrigins.set(data.dataId, analysis);
    }
  }

  /** `operation` is the endpoint's last path segment (`analysis:nextflow`...), which must suit the pipeline's language. */
  create(project: ProjectEntry, request: CreateAnalysisRequest, operation: string): AnalysisRecord {
    const pipeline = this.requirePipeline(request.pipelineId, operation);
    if (request.analysisStorageId && request.analysisStorageId !== analysisStorageId()) {
      throw badRequest(`analysis storage ${request.analysisStorageId} does not exist; use ${analysisStorageId()} or leave analysisStorageId out`, {
        analysisStorageId: request.analysisStorageId,
      });
    }
    const inputs = request.analysisInput.inputs.map((input) => this.resolveInput(project, input));
    const configurations = (request.analysisInput.parameters ?? []).map(toConfiguration);
    const origin = inputs.flatMap((i) => i.analysisData).map((d) => this.inputOrigins.get(d.dataId)).find((a) => a?.projectId === project.id);
    const outputParent = this.outputParent(project, request.outputParentFolderId, origin);
    const now = this.ctx.clock.now();
    const requestKey = `${project.id}\u0000${request.userReference}\u0000${pipeline.code}`;
    const generation = this.generations.get(requestKey) ?? 0;
    this.generations.set(requestKey, generation + 1);
    const id = stableUuid("created-analysis", requestKey, String(generation));
    // The reference is also the output folder's name, so a `/` of the user reference cannot stay in it.
    const reference = `${request.userReference.replace(/\//g, "_")}-${pipeline.code}-${id}`;
    const record: AnalysisRecord = {
      id,
      projectId: project.id,
      reference,
      userReference: request.userReference,
      pipelineCode: pipeline.code,
      status: "REQUESTED",
      timeCreatedMs: now,
      startMs: null,
      endMs: null,
      outputFolderPath: `${outputParent}${reference}/`,
      tags: {
        technicalTags: present(request.tags?.technicalTags),
        userTags: present(request.tags?.userTags),
        referenceTags: present(request.tags?.referenceTags),
      },
      pipelineLanguage: pipeline.language,
      inputs,
      configurations,
      ...(origin?.originId ? { originId: origin.originId } : {}),
    };
    this.analyses.set(id, record);
    this.version++;
    this.schedule(record);
    return record;
  }

  /**
   * A new run like `origin` (its pipeline, a copy of its output): IN_PROGRESS from now, SUCCEEDED
   * `endInMs` later (simulated time), when it writes the copy. Its run folder is the origin's with
   * `R<n>` appended, so the tool sees another run, not a rerun of a delivered one. The latency bench
   * finishes analyses at chosen moments with it (`POST /__sim/analyses:finish`).
   */
  finishLike(origin: AnalysisRecord, endInMs: number): AnalysisRecord {
    const now = this.ctx.clock.now();
    const copy = this.copies.get(origin.id) ?? 0;
    this.copies.set(origin.id, copy + 1);
    const id = stableUuid("finished-like", origin.id, String(copy));
    const userReference = origin.userReference.replace(/^(.+?)(_[0-9a-f]{6}_[0-9a-f]{6})$/i, `$1R${copy + 1}$2`);
    const reference = `${userReference}-${origin.pipelineCode}-${id}`;
    const record: AnalysisRecord = {
      ...origin,
      id,
      reference,
      userReference,
      status: "IN_PROGRESS",
      timeCreatedMs: now,
      startMs: now,
      endMs: null,
      outputFolderPath: `${parentPathOf(origin.outputFolderPath)}${reference}/`,
    };
    delete record.originId;
    delete record.relaunch;
    const files = currentOutput(this.store, this.ctx.objects, origin);
    this.analyses.set(id, record);
    this.version++;
    this.store.ensureFolders(record.projectId, record.outputFolderPath, { status: "AVAILABLE", timeCreatedMs: now });
    this.ctx.scheduler.after(endInMs, () => {
      record.endMs = now + endInMs;
      writeOutputs(this.store, this.ctx.objects, record, files, record.endMs);
      this.setStatus(record, "SUCCEEDED");
    });
    return record;
  }

  private schedule(record: AnalysisRecord): void {
    const { icaAnalysisQueueMs: queueMs, icaAnalysisRunMs: runMs } = this.ctx.timings;
    const startMs = record.timeCreatedMs + queueMs;
    this.ctx.scheduler.after(0, () => this.setStatus(record, "QUEUED"));
    if (this.ctx.assumptions.is("ica.relaunch-definition", "fails-before-start")) {
      this.ctx.scheduler.after(queueMs, () => {
        record.endMs = startMs;
        this.setStatus(record, "FAILED");
      });
      return;
    }
    this.ctx.scheduler.after(queueMs, () => {
      record.startMs = startMs;
      this.store.ensureFolders(record.projectId, record.outputFolderPath, { status: "AVAILABLE", timeCreatedMs: startMs });
      this.setStatus(record, "IN_PROGRESS");
    });
    this.ctx.scheduler.after(queueMs + runMs, () => {
      const origin = record.originId === undefined ? undefined : this.analyses.get(record.originId);
      const outputs = relaunchOutputs(this.store, this.ctx.objects, origin);
      record.endMs = startMs + runMs;
      writeOutputs(this.store, this.ctx.objects, record, outputs.files, record.endMs);
      this.setStatus(record, outputs.outcome);
    });
  }

  private setStatus(record: AnalysisRecord, status: AnalysisStatusV4): void {
    const previous = record.status;
    record.status = status;
    this.version++;
    this.statusChanged(record, previous);
  }

  private requirePipeline(pipelineId: string, operation: string): { code: string; language: PipelineLanguage } {
    const known = [...this.analyses.values()].find((a) => pipelineIdOf(a.pipelineCode) === pipelineId);
    if (!known) throw badRequest(`pipeline ${pipelineId} does not exist; use the pipeline.id of an existing analysis`, { pipelineId });
    const language = known.pipelineLanguage;
    const expected = createRouteOf[language];
    if (expected === undefined) {
      throw badRequest(`pipeline ${known.pipelineCode} has language ${language} and cannot be started with a structured input`, { pipelineId });
    }
    if (operation !== expected) {
      throw new ProblemError(WRONG_LANGUAGE_STATUS, `pipeline ${known.pipelineCode} is a ${language} pipeline: start it with POST /api/projects/{projectId}/${expected}`, {
        pipelineId,
      });
    }
    return { code: known.pipelineCode, language };
  }

  private resolveInput(project: ProjectEntry, input: CreateAnalysisRequest["analysisInput"]["inputs"][number]): AnalysisInputRecord {
    const mounts = new Map((input.mounts ?? []).map((m) => [m.dataId, m.mountPath]));
    const dataIds = input.dataIds ?? [];
    for (const dataId of mounts.keys()) {
      if (!dataIds.includes(dataId)) throw badRequest(`mount of ${dataId} in input ${input.parameterCode}: that data id is not in its dataIds`, { dataId });
    }
    const analysisData = dataIds.map((dataId) => {
      const mountPath = mounts.get(dataId);
      return { ...this.resolveData(project, dataId), ...(mountPath === undefined ? {} : { mountPath }) };
    });
    const externalData = (input.externalData ?? []).map((e) => ({ url: e.url, type: e.type, ...(e.mountPath ? { mountPath: e.mountPath } : {}) }));
    return { code: input.parameterCode, analysisData, externalData };
  }

  /** Input data: another analysis' input (the run it processed), or data the project can see and read. */
  private resolveData(project: ProjectEntry, dataId: string): AnalysisInputRecord["analysisData"][number] {
    const origin = this.inputOrigins.get(dataId);
    if (origin?.projectId === project.id) {
      const reported = origin.inputs.flatMap((i) => i.analysisData).find((d) => d.dataId === dataId);
      if (reported) return { dataId, name: reported.name, dataType: reported.dataType, formatCode: reported.formatCode };
    }
    const item = this.store.visibleIn(project.id, dataId);
    if (!item) throw badRequest(`input data ${dataId} was not found in project ${project.id}`, { dataId });
    if (item.status !== "AVAILABLE") {
      throw new ProblemError(409, `input data ${item.path} is ${item.status}; an analysis can only read AVAILABLE data (unarchive it first)`, { dataId });
    }
    return { dataId, name: item.name, dataType: item.dataType, formatCode: item.formatCode ?? "UNKNOWN" };
  }

  private outputParent(project: ProjectEntry, folderId: string | null | undefined, origin: AnalysisRecord | undefined): string {
    if (folderId) {
      const folder = this.store.visibleIn(project.id, folderId);
      if (folder?.dataType !== "FOLDER" || folder.owningProjectId !== project.id) {
        throw badRequest(`outputParentFolderId ${folderId} is not a folder owned by project ${project.id}`, { outputParentFolderId: folderId });
      }
      return folder.path;
    }
    return CREATED_OUTPUT_PARENT === "origin" && origin ? parentPathOf(origin.outputFolderPath) : "/";
  }
}

/** `AnalysisParameterInput` (L15804): exactly one of `value` and `multiValue`. */
function toConfiguration(parameter: NonNullable<CreateAnalysisRequest["analysisInput"]["parameters"]>[number]): AnalysisConfigurationRecord {
  const code = parameter.code ?? "";
  const single = parameter.value !== undefined && parameter.value !== null;
  const multi = parameter.multiValue !== undefined && parameter.multiValue !== null;
  if (code === "" || single === multi) {
    throw badRequest(`parameter "${code}": give a code and exactly one of value and multiValue`, { code });
  }
  return single
    ? { name: code, multiValue: false, values: [parameter.value as string] }
    : { name: code, multiValue: true, values: present(parameter.multiValue) };
}
