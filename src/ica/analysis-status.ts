/**
 * ICA analysis statuses in their V4 spelling. The deprecated V3 API spells three of them without the
 * underscore (INPROGRESS, AWAITINGINPUT, FAILEDFINAL; spec L16877 vs L17127); V4 says more may be added,
 * so an unknown status is kept as is rather than rejected.
 */
export const analysisStatuses = [
  "REQUESTED",
  "QUEUED",
  "INITIALIZING",
  "PREPARING_INPUTS",
  "IN_PROGRESS",
  "GENERATING_OUTPUTS",
  "AWAITING_INPUT",
  "ABORTING",
  "SUCCEEDED",
  "FAILED",
  "FAILED_FINAL",
  "ABORTED",
] as const;

type AnalysisStatus = (typeof analysisStatuses)[number];

const v3Spellings: Readonly<Record<string, AnalysisStatus>> = {
  INPROGRESS: "IN_PROGRESS",
  AWAITINGINPUT: "AWAITING_INPUT",
  FAILEDFINAL: "FAILED_FINAL",
};

/** One spelling for both API versions: the V4 one. Case is normalised too; unknown values pass through. */
export function normaliseAnalysisStatus(status: string): string {
  const upper = status.trim().toUpperCase();
  return v3Spellings[upper] ?? upper;
}

const v4ToV3: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(v3Spellings).map(([v3, v4]) => [v4, v3]),
);

/** The deprecated V3 listing filters by V3 names; V4-only statuses have no V3 name and pass unchanged. */
export function toV3Status(status: string): string {
  const v4 = normaliseAnalysisStatus(status);
  return v4ToV3[v4] ?? v4;
}
