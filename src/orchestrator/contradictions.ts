import { describeContradiction, type ActionKind, type Contradiction, type LedgerState } from "../assumptions/index.js";
import type { StepRecorder } from "./step-recorder.js";

/**
 * A service seen behaving against a ledger entry: recorded in the account's ledger state (which stops
 * the kinds of action the entry gates until `ica-orchestrator ack`), logged as an error, and listed in
 * the cycle report's `contradictions` (publishCycle alerts it the first time).
 */
export function noteContradiction(ctx: { ledger: LedgerState; now: Date }, rec: StepRecorder, contradiction: Contradiction): void {
  ctx.ledger.contradict(contradiction, ctx.now);
  rec.logger.error(describeContradiction(contradiction));
}

/** Contradictions a module collected (e.g. OutputFolders'), each noted once: the list is emptied. */
export function noteCollected(ctx: { ledger: LedgerState; now: Date }, rec: StepRecorder, collected: Contradiction[]): void {
  collected.splice(0).forEach((contradiction) => noteContradiction(ctx, rec, contradiction));
}

/** Why `kind` may not run now (a contradicted entry gates it), with the command that lifts the stop; undefined when it may. */
export function stoppedBecause(ledger: LedgerState, kind: ActionKind): string | undefined {
  const stopped = ledger.stopping(kind);
  if (stopped === undefined) return undefined;
  const seen = ledger.of(stopped.id);
  return `assumption ${stopped.id} contradicted ${seen?.at ?? ""} (${seen?.evidence ?? ""}); acknowledge with \`ica-orchestrator ack ${stopped.id}\``;
}
