/** A running cycle saw a service behave against a ledger entry (src/assumptions/ledger.ts). */
export interface Contradiction {
  /** The ledger id, e.g. `ica.folder-status`. */
  assumption: string;
  /** What was seen, with the item it was seen on. */
  evidence: string;
}

/** The one-line warning a cycle gives for a contradiction; names the assumption so people can look it up. */
export function describeContradiction({ assumption, evidence }: Contradiction): string {
  return `assumption ${assumption} contradicted (docs/assumptions.md): ${evidence}`;
}
