import { z } from "zod";
import type { ActionKind } from "./ledger.js";

/**
 * The irreversible kinds of action (per service and action) that go first on one item against an account,
 * and at full rate only once that item's postcondition has been read back from the service.
 */
export const canaryKinds = [
  "ica-archive",
  "ica-unarchive",
  "ica-delete",
  "bs-archive",
  "bs-restore",
  "bs-trash",
  "bs-empty-trash",
  "ica-relaunch",
] as const satisfies readonly ActionKind[];
export type CanaryKind = (typeof canaryKinds)[number];

export const isCanaryKind = (value: string): value is CanaryKind => (canaryKinds as readonly string[]).includes(value);

const canaryItemSchema = z.strictObject({
  /** ICA data id, or BaseSpace dataset/run id. */
  id: z.string(),
  /** For people: the ICA path or the BaseSpace name. */
  label: z.string(),
  /** ICA: the project the data is in. */
  projectId: z.string().optional(),
  /** BaseSpace: which kind of item the id is. */
  kind: z.enum(["dataset", "run"]).optional(),
});
export type CanaryItem = z.infer<typeof canaryItemSchema>;

export const canaryEntrySchema = z.strictObject({
  /** applied: done to one item, its postcondition not seen yet. */
  state: z.enum(["applied", "confirmed", "contradicted"]),
  /** ISO time the state was reached. */
  at: z.string(),
  /** How: what was done, or what was read back. */
  evidence: z.string(),
  item: canaryItemSchema,
});
export type CanaryEntry = z.infer<typeof canaryEntrySchema>;

export interface CanaryView {
  kind: CanaryKind;
  state: "confirmed" | "contradicted" | "unconfirmed";
  at?: string;
  evidence?: string;
}

/**
 * What cycles against this account have seen of each kind of irreversible action's canary. Absent: no
 * canary yet. Kept in the ledger state file (ledger-state.ts), which saves it.
 */
export class Canaries {
  constructor(
    private readonly entries: Record<string, CanaryEntry>,
    private readonly onChange: () => void,
  ) {}

  of(kind: CanaryKind): CanaryEntry | undefined {
    return this.entries[kind];
  }

  /** The first action of its kind went through on `item`; a later cycle reads its postcondition back. */
  applied(kind: CanaryKind, item: CanaryItem, now: Date): void {
    if (this.entries[kind] !== undefined) return;
    this.set(kind, { state: "applied", at: now.toISOString(), evidence: `applied to ${item.label}`, item });
  }

  /** The postcondition was read back: `how` says from where. */
  settle(kind: CanaryKind, verdict: "confirmed" | "contradicted", how: string, now: Date): void {
    const entry = this.entries[kind];
    if (entry?.state !== "applied") return;
    this.set(kind, { state: verdict, at: now.toISOString(), evidence: how, item: entry.item });
  }

  /** The canary's item went away (a person deleted it): nothing can be read back, another item goes first. */
  forget(kind: CanaryKind): void {
    if (this.entries[kind]?.state !== "applied") return;
    delete this.entries[kind];
    this.onChange();
  }

  /** The operator read the evidence: the kind starts over with a new canary. False when it was not contradicted. */
  acknowledge(kind: CanaryKind): boolean {
    if (this.entries[kind]?.state !== "contradicted") return false;
    delete this.entries[kind];
    this.onChange();
    return true;
  }

  /** Every kind with its state, for `status` and `doctor`; an applied canary is unconfirmed, with its item. */
  view(): CanaryView[] {
    return canaryKinds.map((kind) => {
      const entry = this.entries[kind];
      if (entry === undefined) return { kind, state: "unconfirmed" };
      const state = entry.state === "applied" ? "unconfirmed" : entry.state;
      const evidence = entry.state === "applied" ? `${entry.evidence}, postcondition not seen yet` : entry.evidence;
      return { kind, state, at: entry.at, evidence };
    });
  }

  private set(kind: CanaryKind, entry: CanaryEntry): void {
    this.entries[kind] = entry;
    this.onChange();
  }
}
