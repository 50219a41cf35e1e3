import { z } from "zod";
import { icaAnalysisStatusesV4 } from "../../fixtures/format.js";
import type { Router } from "../../http/router.js";
import { type AnalysisRecord, toAnalysis, toConfigurations, toInputs, v3Status } from "../analysis-representation.js";
import { ANALYSES_NEWEST_FIRST, ANALYSIS_OUTPUT_CODE, V3_STATUS_OF_V4 } from "../assumptions.js";
import { type DataItem, parentPathOf } from "../data-item.js";
import { dataFormat } from "../data-format.js";
import { type IcaCall, type IcaRuntime, apiBase, icaRoute, listingOf, pagedJson, requireProject, v3Only, v3OrV4 } from "../ica-route.js";
import { vendorJson } from "../media-type.js";
import { type CursorSource, type SortFields, arraySource, parsePaging } from "../paging.js";
import { notFound } from "../problem.js";
import { allOf } from "../query-params.js";
import { readJsonBody } from "../request-body.js";

/** "The listing stops at the first 200,000 files per output folder" (spec L3694). */
const maxOutputFiles = 200_000;

const v3Statuses = [...new Set(Object.values(V3_STATUS_OF_V4))];

/** `AnalysisQueryParameters` (spec L18171); statuses use the V4 spelling. */
const analysisQuery = z.object({
  reference: z.string().nullish(),
  userReference: z.string().nullish(),
  status: z.array(z.enum(icaAnalysisStatusesV4)).nullish(),
  userTags: z.array(z.string()).nullish(),
  technicalTags: z.array(z.string()).nullish(),
  referenceTags: z.array(z.string()).nullish(),
});

interface AnalysisFilter {
  reference?: string | null;
  userReference?: string | null;
  /** Compared with the status as the listing spells it (V3 or V4). */
  statuses: readonly string[];
  statusOf: (a: AnalysisRecord) => string;
  userTags: readonly string[];
  technicalTags: readonly string[];
  referenceTags: readonly string[];
}

const hasAll = (have: readonly string[], wanted: readonly string[]): boolean => wanted.every((t) => have.includes(t));

function matches(a: AnalysisRecord, f: AnalysisFilter): boolean {
  return (
    (f.reference == null || a.reference === f.reference) &&
    (f.userReference == null || a.userReference === f.userReference) &&
    (f.statuses.length === 0 || f.statuses.includes(f.statusOf(a))) &&
    hasAll(a.tags.userTags, f.userTags) &&
    hasAll(a.tags.technicalTags, f.technicalTags) &&
    hasAll(a.tags.referenceTags, f.referenceTags)
  );
}

function sortFields(statusOf: (a: AnalysisRecord) => string): SortFields<AnalysisRecord> {
  return {
    reference: (a) => a.reference,
    userReference: (a) => a.userReference,
    pipeline: (a) => a.pipelineCode,
    status: statusOf,
    startDate: (a) => a.startMs ?? undefined,
    endDate: (a) => a.endMs ?? undefined,
    summary: () => undefined,
  };
}

const analysisKey = (a: AnalysisRecord): string => {
  const time = ANALYSES_NEWEST_FIRST ? Number.MAX_SAFE_INTEGER - a.timeCreatedMs : a.timeCreatedMs;
  return `${String(time).padStart(16, "0")}\u0000${a.id}`;
};

/** `AnalysisData` (spec L17327) for the output folder, its contents nested as `children`. */
function outputTree(items: Iterable<DataItem>, root: DataItem): Record<string, unknown> {
  const nodes = new Map<string, { children?: unknown[] }>();
  let files = 0;
  let rootNode: Record<string, unknown> = {};
  for (const item of items) {
    if (item.dataType === "FILE" && ++files > maxOutputFiles) break;
    const node: Record<string, unknown> & { children?: unknown[] } = {
      dataId: item.id,
      name: item.name,
      dataType: item.dataType,
      format: dataFormat(item.formatCode ?? "UNKNOWN"),
      ...(item.dataType === "FOLDER" ? { children: [] } : {}),
    };
    nodes.set(item.path, node);
    if (item === root) rootNode = node;
    else nodes.get(parentPathOf(item.path))?.children?.push(node);
  }
  return rootNode;
}

/** Analyses: the deprecated V3 list, `analysis:search`, one analysis, its inputs, outputs and configurations (spec L3410-L4247). */
export function registerAnalysisRoutes(router: Router, rt: IcaRuntime): void {
  const analysesOf = (projectId: string): AnalysisRecord[] => [...rt.analyses.values()].filter((a) => a.projectId === projectId);
  // Sorting a project's analyses for every page made the simulator the slow side of a 10,000-analysis
  // listing; the sorted source is kept until an analysis is created or changes.
  const sources = new Map<string, { version: number; source: CursorSource<AnalysisRecord> }>();
  const sourceOf = (projectId: string): CursorSource<AnalysisRecord> => {
    const kept = sources.get(projectId);
    if (kept?.version === rt.launches.version) return kept.source;
    const source = arraySource(analysesOf(projectId), analysisKey);
    sources.set(projectId, { version: rt.launches.version, source });
    return source;
  };
  const requireAnalysis = (call: IcaCall): AnalysisRecord => {
    const project = requireProject(rt, call);
    const analysis = rt.analyses.get(call.req.params.analysisId ?? "");
    if (analysis?.projectId !== project.id) throw notFound(`analysis ${call.req.params.analysisId} was not found in project ${project.id}`);
    return analysis;
  };
  const list = (call: IcaCall, filter: AnalysisFilter, render: (a: AnalysisRecord) => unknown) => {
    const project = requireProject(rt, call);
    const page = rt.pager.page(parsePaging(call.req.query, rt.ctx.timings.icaMaxPageSize), {
      listing: listingOf(call.req),
      source: sourceOf(project.id),
      filter: (a) => matches(a, filter),
      sortFields: sortFields(filter.statusOf),
      version: rt.launches.version,
    });
    return pagedJson(call.version, page, render);
  };

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/analyses`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const q = call.req.query;
      const one = (name: string): string[] => (q.get(name) === null ? [] : [q.get(name) as string]);
      return list(
        call,
        {
          reference: q.get("reference"),
          userReference: q.get("userreference"),
          statuses: allOf(q, "status", v3Statuses),
          statusOf: (a) => v3Status(a.status),
          userTags: one("usertag"),
          technicalTags: one("technicaltag"),
          referenceTags: one("referencetag"),
        },
        (a) => toAnalysis(a, "v3", rt.directory),
      );
    }),
  );

  // The quirk (spec L4245-4247): v3 media type, AnalysisPagedListV4 body.
  router.add(
    "POST",
    `${apiBase}/projects/{projectId}/analysis:search`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const body = readJsonBody(call.req, analysisQuery, { optional: true });
      return list(
        call,
        {
          reference: body.reference,
          userReference: body.userReference,
          statuses: body.status ?? [],
          statusOf: (a) => a.status,
          userTags: body.userTags ?? [],
          technicalTags: body.technicalTags ?? [],
          referenceTags: body.referenceTags ?? [],
        },
        (a) => toAnalysis(a, "v4", rt.directory),
      );
    }),
  );

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/analyses/{analysisId}`,
    icaRoute(rt, { media: v3OrV4 }, (call) => vendorJson(200, call.version, toAnalysis(requireAnalysis(call), call.version, rt.directory))),
  );

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/analyses/{analysisId}/inputs`,
    icaRoute(rt, { media: v3Only }, (call) => vendorJson(200, call.version, toInputs(requireAnalysis(call)))),
  );

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/analyses/{analysisId}/configurations`,
    icaRoute(rt, { media: v3Only }, (call) => vendorJson(200, call.version, toConfigurations(requireAnalysis(call)))),
  );

  router.add(
    "GET",
    `${apiBase}/projects/{projectId}/analyses/{analysisId}/outputs`,
    icaRoute(rt, { media: v3Only }, (call) => {
      const analysis = requireAnalysis(call);
      const view = rt.store.view(analysis.projectId);
      const owned = (d: DataItem | undefined): d is DataItem => d?.owningProjectId === analysis.projectId;
      const folder = view.atPath(analysis.outputFolderPath);
      // Deleted outputs are left out (spec L3694), so a deleted folder means no data.
      const data = owned(folder) ? [outputTree([...rt.store.subtree(view, folder)].filter(owned), folder)] : [];
      return vendorJson(200, call.version, { items: [{ code: ANALYSIS_OUTPUT_CODE, projectId: analysis.projectId, data }] });
    }),
  );
}
