import type { z } from "zod";

/**
 * One line naming where each problem is (`ica.projects.0.id: Invalid UUID`), so an error about a
 * fixture file or a control-plane body points at the field to fix. Long lists are cut after a few.
 */
export function describeZodError(error: z.ZodError, maxIssues = 3): string {
  const shown = error.issues.slice(0, maxIssues).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join("; ")}; and ${more} more` : shown.join("; ");
}
