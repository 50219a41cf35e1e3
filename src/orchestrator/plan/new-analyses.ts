import type { UserPattern } from "../../config/user-pattern.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { analysisStateOf } from "../../modules/monitor/analysis-state.js";
import { isBclConvert } from "../../modules/monitor/bcl-convert.js";
import { chooseDeliveries } from "./delivery-policy.js";

/**
 * From the one listing of the source project's analyses: which BCLConvert analyses are new and get
 * managed this cycle, and which are pending or failed (reported, not touched). The pipeline match and
 * the status classes are the monitor module's, so the cycle and `monitor` agree.
 */
export type SourceAnalysis = Pick<IcaAnalysis, "id" | "reference" | "status" | "pipeline">;

export interface NewAnalysesPlanInput<A extends SourceAnalysis, R extends { analysisId: string }> {
  analyses: readonly A[];
  /** Analysis ids in the managed table. */
  managedIds: ReadonlySet<string>;
  /** Journal records of work started in an earlier cycle (link batch ids, manifest data ids, ...). */
  inFlight: readonly R[];
  /** BCLConvert pipeline-code pattern; the monitor module's default when absent. */
  pipelinePattern?: UserPattern;
  /** Analyses an operator asked to deliver again (`redeliver`, journal): managed even if in the table, and their run's choice. */
  redeliver?: ReadonlySet<string>;
  /** Held for having no MGI FASTQ and not due for another look (resting-holds.ts): not managed this cycle. */
  resting?: ReadonlySet<string>;
}

export interface NewAnalyses<A, R> {
  /**
   * SUCCEEDED, not in the managed table (or asked for by `redeliver`), in listing order; with the
   * journal record to resume, if any, and for a redelivery the analysis in the table its run was
   * first delivered as (whose manifest it replaces), if another.
   */
  toManage: Array<{ analysis: A; resume: R | null; redelivery: boolean; runDeliveredAs?: A }>;
  /** Held for having no MGI FASTQ, not looked at again this cycle (resting-holds.ts); still held from archive and delete. */
  resting: A[];
  /** Still running — or in a status ICA added after this code, which is never taken for success. */
  pending: A[];
  failed: A[];
  /** SUCCEEDED, not managed, because another analysis of their run is (or is being) delivered (delivery-policy.ts). */
  superseded: Array<{ analysis: A; by: A; byDelivered: boolean }>;
  alreadyManaged: number;
  /**
   * Journal records that no longer lead anywhere — the analysis is in the managed table (a crash between
   * the table append and the journal update), gone from the source project, or no longer matches the
   * pipeline pattern. Safe to drop.
   */
  staleInFlight: R[];
  /** Redelivery requests for no SUCCEEDED or running BCLConvert analysis of the listing, with why: dropped. */
  unavailableRedeliveries: Array<{ analysisId: string; why: string }>;
}

export function findNewAnalyses<A extends SourceAnalysis, R extends { analysisId: string }>(
  input: NewAnalysesPlanInput<A, R>,
): NewAnalyses<A, R> {
  const inFlight = new Map(input.inFlight.map((record) => [record.analysisId, record]));
  const redeliver = input.redeliver ?? new Set<string>();
  const result: NewAnalyses<A, R> = { toManage: [], resting: [], pending: [], failed: [], superseded: [], alreadyManaged: 0, staleInFlight: [], unavailableRedeliveries: [] };
  const bclConvert = new Map<string, A>();
  const listed = new Set<string>();
  const succeeded: A[] = [];

  for (const analysis of input.analyses) {
    // Paged listings can repeat an item across a page boundary.
    if (listed.has(analysis.id)) continue;
    listed.add(analysis.id);
    if (!isBclConvert(analysis, input.pipelinePattern)) continue;
    bclConvert.set(analysis.id, analysis);
    const state = analysisStateOf(analysis.status);
    if (state === "done") succeeded.push(analysis);
    if (input.managedIds.has(analysis.id)) {
      result.alreadyManaged += 1;
      continue;
    }
    if (state === "failed") result.failed.push(analysis);
    else if (state !== "done") result.pending.push(analysis);
  }
  const choice = chooseDeliveries({ succeeded, delivered: input.managedIds, inFlight: new Set(inFlight.keys()), prefer: redeliver });
  const chosen = new Set(choice.chosen.map((analysis) => analysis.id));
  for (const analysis of succeeded) {
    const redelivery = redeliver.has(analysis.id);
    if (!chosen.has(analysis.id) || (!redelivery && input.managedIds.has(analysis.id))) continue;
    if (!redelivery && !inFlight.has(analysis.id) && input.resting?.has(analysis.id)) {
      result.resting.push(analysis);
      continue;
    }
    // The policy's order puts the run's first delivered analysis first among those it supersedes.
    const runDeliveredAs = redelivery && !input.managedIds.has(analysis.id) ? choice.superseded.find(({ analysis: other, by }) => by === analysis && input.managedIds.has(other.id))?.analysis : undefined;
    result.toManage.push({ analysis, resume: inFlight.get(analysis.id) ?? null, redelivery, ...(runDeliveredAs ? { runDeliveredAs } : {}) });
  }
  result.unavailableRedeliveries = [...redeliver].flatMap((analysisId) => {
    const analysis = bclConvert.get(analysisId);
    if (!analysis) return [{ analysisId, why: "the source project lists no BCLConvert analysis with this id" }];
    return analysisStateOf(analysis.status) === "failed" ? [{ analysisId, why: `its BCLConvert analysis is ${analysis.status}: nothing to deliver` }] : [];
  });
  for (const { analysis, by } of choice.superseded) {
    if (!input.managedIds.has(analysis.id)) result.superseded.push({ analysis, by, byDelivered: input.managedIds.has(by.id) });
  }
  const managing = new Set(result.toManage.map(({ analysis }) => analysis.id));
  result.staleInFlight = input.inFlight.filter((record) => !managing.has(record.analysisId));
  return result;
}
