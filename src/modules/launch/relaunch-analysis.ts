import type { IcaClient } from "../../ica/client.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { buildRelaunchRequest } from "./relaunch.js";

export interface RelaunchOptions {
  /** The new analysis' userReference, unique per attempt (requeueUserReference). */
  userReference: string;
  /** Same for every try of one attempt, so that a replay cannot start a second analysis. */
  idempotencyKey: string;
}

export interface RelaunchResult {
  analysis: IcaAnalysis;
  /** False when an analysis with this userReference already existed (an attempt cut short by a crash). */
  created: boolean;
  /** What the new analysis could not inherit (see RelaunchRequest.notCarriedOver); empty when adopted. */
  notCarriedOver: string[];
}

/**
 * Runs an analysis again from its own definition, at most once per userReference: an analysis that
 * already carries `userReference` is returned instead of starting another, which covers a crash after
 * ICA accepted the request but before the caller recorded it; the Idempotency-Key covers a request
 * still being processed or not yet listed.
 */
export async function relaunchAnalysis(
  ica: IcaClient,
  projectId: string,
  analysisId: string,
  opts: RelaunchOptions,
): Promise<RelaunchResult> {
  for await (const existing of ica.searchAnalyses(projectId, { userReference: opts.userReference })) {
    // The spec does not say whether the filter is exact: `-requeue-1` must not match `-requeue-10`.
    if (existing.userReference === opts.userReference) return { analysis: existing, created: false, notCarriedOver: [] };
  }
  const request = await buildRelaunchRequest(ica, projectId, analysisId, { userReference: opts.userReference });
  if (request.body.userReference !== opts.userReference) {
    throw new Error(`userReference "${opts.userReference}" is not valid in ICA; build it with requeueUserReference()`);
  }
  const analysis = await ica.createAnalysis(request, opts.idempotencyKey);
  return { analysis, created: true, notCarriedOver: request.notCarriedOver };
}
