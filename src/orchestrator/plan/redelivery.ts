import { manifestFileName } from "./manifest.js";

/**
 * Which manifest an analysis uploads: `<runId>.download_manifest.csv` (redelivery 0), or
 * `<runId>.redelivery-<n>.download_manifest.csv`.
 */
export interface ManifestName {
  runId: string;
  redelivery: number;
}

/**
 * `redeliver <analysis>` (an operator's request, kept in the journal until a cycle delivers it): the
 * analysis is delivered again, or for the first time when it was superseded or held. Its manifest is
 * named after the run's manifest — the run id (reference) of the analysis the run was first delivered
 * as, so a superseded analysis' delivery sits beside the one it replaces — and must not replace what
 * the recipient already has, so it is numbered: the run's first manifest keeps the original name
 * (`<run>.download_manifest.csv`), each later one is `<run>.redelivery-<n>.…` with n one past the
 * highest the destination holds. Pure.
 */
export function nextManifestNumber(runId: string, existingNames: readonly string[]): number {
  const names = new Set(existingNames.map((name) => name.toLowerCase()));
  if (!names.has(manifestFileName(runId).toLowerCase())) return 0;
  const prefix = manifestFileName(runId).replace(/\.download_manifest\.csv$/, "").toLowerCase();
  let highest = 0;
  for (const name of names) {
    if (!name.startsWith(`${prefix}.redelivery-`)) continue;
    const n = /^\.redelivery-(\d+)\.download_manifest\.csv$/.exec(name.slice(prefix.length))?.[1];
    if (n !== undefined) highest = Math.max(highest, Number(n));
  }
  return highest + 1;
}

/** A redelivery request the cycle cannot act on: dropped, with why (the operator asked for the wrong id, or there is nothing to deliver). */
export function unavailableRedelivery(analysisId: string, why: string): string {
  return `redeliver ${analysisId}: ${why}; request dropped`;
}
