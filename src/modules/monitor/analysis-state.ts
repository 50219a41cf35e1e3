import { normaliseAnalysisStatus } from "../../ica/analysis-status.js";

/** Where an analysis stands for the orchestrator. `unknown` is a status ICA added after this code. */
export type AnalysisState = "pending" | "done" | "failed" | "unknown";

const stateOfStatus: Readonly<Record<string, AnalysisState>> = {
  REQUESTED: "pending",
  QUEUED: "pending",
  INITIALIZING: "pending",
  PREPARING_INPUTS: "pending",
  IN_PROGRESS: "pending",
  GENERATING_OUTPUTS: "pending",
  AWAITING_INPUT: "pending",
  // Aborting is not over yet: its outputs may still change, so it waits like a running analysis.
  ABORTING: "pending",
  SUCCEEDED: "done",
  FAILED: "failed",
  FAILED_FINAL: "failed",
  ABORTED: "failed",
};

/** Classifies a status in either spelling (V3 `INPROGRESS` or V4 `IN_PROGRESS`). */
export function analysisStateOf(status: string): AnalysisState {
  return stateOfStatus[normaliseAnalysisStatus(status)] ?? "unknown";
}
