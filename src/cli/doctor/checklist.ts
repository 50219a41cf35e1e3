type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** How to fix a failure or a warning, when the detail does not already say it. */
  fix?: string;
}

const marks: Record<CheckStatus, string> = { ok: "[ok]  ", warn: "[warn]", fail: "[FAIL]", skip: "[skip]" };

/** One line per check, the fix indented under it, and a closing verdict. */
export function renderChecklist(results: readonly CheckResult[]): string {
  const lines = results.flatMap((result) => [
    `${marks[result.status]} ${result.name}: ${result.detail}`,
    ...(result.fix === undefined ? [] : [`       fix: ${result.fix}`]),
  ]);
  const failed = results.filter((result) => result.status === "fail").length;
  const warned = results.filter((result) => result.status === "warn").length;
  const verdict =
    failed > 0
      ? `${failed} check${failed > 1 ? "s" : ""} failed: fix ${failed > 1 ? "them" : "it"} and run ica-orchestrator doctor again.`
      : `All checks passed${warned > 0 ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}.`;
  return `${[...lines, "", verdict].join("\n")}\n`;
}

export const hasFailures = (results: readonly CheckResult[]): boolean => results.some((result) => result.status === "fail");
