import { unlessNotFound } from "../../http/errors.js";
import type { IcaAnalysis } from "../../ica/schemas.js";
import { analysisStateOf } from "../../modules/monitor/analysis-state.js";
import type { ListedCycle } from "../cycle-facts.js";
import type { ReadBack } from "./verify-canaries.js";

/** Statuses an analysis only reaches once it runs: past the queue and the preparation of its inputs. */
const startedStatuses = new Set(["IN_PROGRESS", "GENERATING_OUTPUTS", "AWAITING_INPUT", "SUCCEEDED"]);

/**
 * The first relaunch (canary `ica-relaunch`) read back from the source project's analyses, which the
 * cycle has listed anyway (a direct lookup only when the listing lacks it: absence from a listing is no
 * proof). What a relaunch assumes (ledger `ica.relaunch-definition`) holds when the new analysis carries
 * the userReference sent (a crashed cycle finds its attempt by it) and the original's pipeline, and ICA
 * started it: one that failed or was aborted before it ever ran was refused for what it was given, and
 * every further relaunch would be billed for the same. Still queued: read again next cycle. A relaunch
 * that ran and then failed is the run's own failure, not the launch's: confirmed.
 */
export function readRelaunchPostcondition(ctx: ListedCycle): ReadBack {
  return async (_kind, { item }) => {
    const projectId = item.projectId ?? ctx.projects.source.id;
    const relaunched = ctx.analyses.find((a) => a.id === item.id) ?? (await lookUp(ctx, projectId, item.id));
    if (relaunched === undefined) {
      return { verdict: "contradicted", how: `${item.label}: ICA answered the relaunch with analysis ${item.id}, which the source project does not have` };
    }
    const sent = attemptOf(ctx, item.id);
    const original = sent && ctx.analyses.find((a) => a.id === sent.originalId);
    const differs = [
      ...(sent && relaunched.userReference !== sent.userReference ? [`userReference ${relaunched.userReference}, not ${sent.userReference}`] : []),
      ...(original && relaunched.pipeline.id !== original.pipeline.id ? [`pipeline ${relaunched.pipeline.code}, not ${original.pipeline.code}`] : []),
    ];
    if (differs.length > 0) return { verdict: "contradicted", how: `${item.label} read back with ${differs.join(" and ")}` };
    const seen = `${item.label} (${relaunched.id}) read back ${relaunched.status}`;
    if (relaunched.startDate !== null || startedStatuses.has(relaunched.status)) {
      return { verdict: "confirmed", how: `${seen}, started ${relaunched.startDate ?? "(no start date given)"}, with the userReference sent and the original's pipeline` };
    }
    if (analysisStateOf(relaunched.status) === "failed") {
      return { verdict: "contradicted", how: `${seen} without ever starting, after ICA accepted the relaunch` };
    }
    return { verdict: "pending" };
  };
}

function lookUp(ctx: ListedCycle, projectId: string, analysisId: string): Promise<IcaAnalysis | undefined> {
  return unlessNotFound(ctx.ica.getAnalysis(projectId, analysisId));
}

/** The journal's attempt that launched `analysisId`, with the original it relaunched. */
function attemptOf(ctx: ListedCycle, analysisId: string): { originalId: string; userReference: string } | undefined {
  for (const [originalId, attempts] of Object.entries(ctx.journal.data.requeues)) {
    const attempt = attempts.find((a) => a.analysisId === analysisId);
    if (attempt) return { originalId, userReference: attempt.userReference };
  }
  return undefined;
}
