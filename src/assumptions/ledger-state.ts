import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileFenced, type Fence } from "../state/fenced-write.js";
import { Canaries, canaryEntrySchema, type CanaryEntry } from "./canaries.js";
import type { Contradiction } from "./contradiction.js";
import { ledger, type ActionKind, type Assumption } from "./ledger.js";

const entrySchema = z.strictObject({
  state: z.enum(["confirmed", "contradicted"]),
  /** ISO time it was seen. */
  at: z.string(),
  /** What was seen, on which item. */
  evidence: z.string(),
});
const fileSchema = z.strictObject({
  version: z.literal(1),
  assumptions: z.record(z.string(), entrySchema),
  /** Per kind of irreversible action: its canary (canaries.ts); absent in files written before canaries. */
  canaries: z.record(z.string(), canaryEntrySchema).optional(),
});

export type LedgerEntryState = z.infer<typeof entrySchema>;

/**
 * Where the account's ledger state lives: beside the journal, its own file so it never widens the journal's schema.
 * @internal exported for the tests
 */
export const ledgerStateFile = (stateRoot: string) => join(stateRoot, "assumptions.json");

/**
 * What cycles against this account have seen of each ledger entry: confirmed, contradicted, or (absent)
 * unconfirmed. A contradicted entry stops the kinds of action it gates until the operator acknowledges it.
 */
export class LedgerState {
  private changed = false;
  /** What this load has seen contradicted, once per entry: the cycle's report lists it. */
  private readonly seen = new Map<string, Contradiction>();
  /** Entries this load moved to contradicted (not already standing): alerted once. */
  private readonly fresh = new Set<string>();
  /** The canary of each kind of irreversible action, saved with the ledger. */
  readonly canaries: Canaries;

  private constructor(
    private readonly path: string,
    private readonly entries: Record<string, LedgerEntryState>,
    private readonly canaryEntries: Record<string, CanaryEntry> = {},
  ) {
    this.canaries = new Canaries(canaryEntries, () => {
      this.changed = true;
    });
  }

  static async load(stateRoot: string): Promise<LedgerState> {
    const path = ledgerStateFile(stateRoot);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new LedgerState(path, {});
      throw error;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${path} is not a ledger state file (${parsed.error.issues[0]?.message}); move it aside to start over`);
    return new LedgerState(path, parsed.data.assumptions, parsed.data.canaries);
  }

  of(id: string): LedgerEntryState | undefined {
    return this.entries[id];
  }

  /** A contradiction stands until acknowledged; a confirmation never overwrites it. */
  confirm(id: string, evidence: string, now: Date): void {
    if (this.entries[id] !== undefined) return;
    this.entries[id] = { state: "confirmed", at: now.toISOString(), evidence };
    this.changed = true;
  }

  contradict({ assumption, evidence }: Contradiction, now: Date): void {
    if (!this.seen.has(assumption)) this.seen.set(assumption, { assumption, evidence });
    if (this.entries[assumption]?.state === "contradicted") return;
    this.entries[assumption] = { state: "contradicted", at: now.toISOString(), evidence };
    this.fresh.add(assumption);
    this.changed = true;
  }

  /** Every entry seen contradicted since this state was loaded (a cycle's `contradictions`), first evidence each. */
  contradictionsSeen(): Contradiction[] {
    return [...this.seen.values()];
  }

  /** Of those, the ones that were not contradicted before: news, alerted once. */
  newlyContradicted(): Contradiction[] {
    return [...this.seen.values()].filter((c) => this.fresh.has(c.assumption));
  }

  /** The operator read the evidence: the entry goes back to unconfirmed. False when it was not contradicted. */
  acknowledge(id: string): boolean {
    if (this.entries[id]?.state !== "contradicted") return false;
    delete this.entries[id];
    this.changed = true;
    return true;
  }

  /** The contradicted entry that stops this kind of action, if any. */
  stopping(kind: ActionKind): Assumption | undefined {
    return ledger.find((a) => a.gates.includes(kind) && this.entries[a.id]?.state === "contradicted");
  }

  /** Every ledger entry with its state, for `status` and `doctor`. */
  view(): Array<{ id: string; state: "confirmed" | "contradicted" | "unconfirmed"; at?: string; evidence?: string }> {
    return ledger.map((a) => ({ id: a.id, ...(this.entries[a.id] ?? { state: "unconfirmed" as const }) }));
  }

  /** Writes the file when something changed since it was read: an idle cycle leaves it alone. */
  async save(fence: Fence): Promise<void> {
    if (!this.changed) return;
    this.changed = false;
    const file = { version: 1, assumptions: this.entries, canaries: this.canaryEntries };
    await writeFileFenced(this.path, `${JSON.stringify(file, null, 2)}\n`, fence);
  }
}
