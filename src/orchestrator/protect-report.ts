import type { IcaAnalysis } from "../ica/schemas.js";
import type { CycleContext } from "./cycle-context.js";
import type { PlanItem } from "./plan/plan-types.js";

/**
 * Once a cycle has looked at everything, reports protect entries that matched nothing it saw: most
 * likely a typo, or a path the tool never acts on (ICA-managed outputs live at `/<reference>/`, not
 * under `/ilmn-analyses/`). The entry is warned about once, not every cycle: the journal keeps the
 * entries already reported, and an entry that matches again and later stops is reported again.
 * Every listed analysis is shown to the list first, so an entry naming an analysis that is not aged yet
 * counts as matching.
 */
export function reportUnmatchedProtect(ctx: CycleContext, analyses: readonly IcaAnalysis[], warn: (message: string) => void): void {
  if (ctx.protect.entries.length === 0) return;
  for (const analysis of analyses) {
    const known = ctx.journal.data.classifications[analysis.id];
    ctx.protect.match([analysis.id, analysis.reference, analysis.userReference, known?.outputFolderId, known?.outputFolderPath]);
  }
  const unmatched = ctx.protect.unmatched();
  const warned = new Set(ctx.journal.data.protectUnmatchedWarned);
  const fresh = unmatched.filter((entry) => !warned.has(entry));
  if (fresh.length > 0) {
    warn(
      `protect ${fresh.map((entry) => `'${entry}'`).join(", ")} matched nothing this cycle (no analysis, output folder, file in an aged folder, BaseSpace item or trash entry); check for a typo — ICA-managed output folders are /<reference>/ — this is reported once`,
    );
  }
  ctx.journal.setProtectUnmatched(unmatched);
}

/** One log line per item the protect list kept from being acted on. */
export function logProtected(logger: CycleContext["logger"], items: readonly PlanItem[]): void {
  for (const item of items) {
    if (item.action === "skip-protected") logger.info(`protect: left ${item.target.path ?? item.target.name ?? item.target.id} alone: ${item.reason}`);
  }
}
