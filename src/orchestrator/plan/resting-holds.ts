import type { JournalData } from "../../state/index.js";

/**
 * A SUCCEEDED analysis' outputs are final, so one held for having no MGI FASTQ finds the same nothing
 * every time its outputs are listed: on lab-year that was 53 listings a cycle, 70 calls where a steady
 * cycle needs 8. Such a hold rests: its outputs are listed again when the FASTQ selection settings
 * change, a day after the last look (a person may have added files), or when an operator asks
 * (`redeliver`; `mark-managed` ends the hold). It stays held from archive and delete meanwhile. A hold
 * for a FASTQ gone from the source is looked at every cycle: the file may be put back. Pure.
 */
const recheckAfterMs = 86_400_000;

/** What decides which FASTQs are selected; a hold looked at under other settings is looked at again. */
export function selectionFingerprint(settings: { fastqPattern: { toString(): string }; fastqSuffixes: readonly string[] }): string {
  return JSON.stringify([String(settings.fastqPattern), [...settings.fastqSuffixes].sort()]);
}

/** The ids of the holds that rest this cycle. */
export function restingHolds(holds: JournalData["undeliverable"], fingerprint: string, now: Date): Set<string> {
  const resting = new Set<string>();
  for (const [id, hold] of Object.entries(holds)) {
    const lookedAt = hold.checkedAt === undefined ? Number.NaN : Date.parse(hold.checkedAt);
    if (hold.reason === "no-fastq" && hold.selection === fingerprint && now.getTime() - lookedAt < recheckAfterMs) resting.add(id);
  }
  return resting;
}
