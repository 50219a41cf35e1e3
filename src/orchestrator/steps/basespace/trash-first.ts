import type { LedgerState } from "../../../assumptions/index.js";
import { ApiError } from "../../../http/errors.js";
import { stoppedBecause } from "../../contradictions.js";
import { cheapPathFirst } from "../../plan/cheap-path.js";
import type { PlanItem } from "../../plan/plan-types.js";

/** What a trash move's answer says about the ledger (`bs.trash-endpoint`, `bs.trash-archived`). */
export type TrashAnswer = "moved" | "refused" | "no-endpoint" | "unclear";

export function classifyTrashAnswer(error: unknown): TrashAnswer {
  if (error === undefined) return "moved";
  if (!(error instanceof ApiError)) return "unclear";
  // A 404 after a retry means the first attempt went through (the trash mover takes it as done).
  if (error.status === 405 || (error.status === 404 && error.attempts <= 1)) return "no-endpoint";
  return error.status === 400 ? "refused" : "unclear";
}

/**
 * Records what a trash move's answer showed. `archived`: the item was archived, so the answer also
 * tells whether BaseSpace wants a restore first.
 */
export function learnFromTrashAnswer(ledger: LedgerState, answer: TrashAnswer, item: { id: string; archived: boolean }, now: Date): void {
  const where = `trash move of ${item.id}`;
  if (answer === "no-endpoint") {
    ledger.contradict({ assumption: "bs.trash-endpoint", evidence: `${where} answered that the endpoint does not exist (404/405)` }, now);
    return;
  }
  if (answer === "moved") ledger.confirm("bs.trash-endpoint", `${where} succeeded`, now);
  if (!item.archived) return;
  if (answer === "moved") {
    ledger.contradict({ assumption: "bs.trash-archived", evidence: `${where} succeeded while it was archived: no restore is needed` }, now);
  } else if (answer === "refused") {
    ledger.confirm("bs.trash-endpoint", `${where} was refused for the archived item (the endpoint exists)`, now);
    ledger.confirm("bs.trash-archived", `${where} was refused while it was archived`, now);
  }
}

/**
 * Planned trash moves and restores, as the ledger lets them go. Cheap path first: a restore (billed) is
 * paid only once BaseSpace has refused to trash archived data and a trash move is known to reach an
 * endpoint that exists; until then the archived item is trashed as it is (one at a time while the answer
 * is unknown). A contradicted entry stops the kind it gates (a skip naming it).
 */
export function gatePlan(items: readonly PlanItem[], ledger: LedgerState): PlanItem[] {
  const archivedSeen = ledger.of("bs.trash-archived")?.state;
  const payFirst = archivedSeen === "confirmed" && ledger.of("bs.trash-endpoint")?.state === "confirmed";
  const cheap = cheapPathFirst(items, {
    restore: "restore",
    remove: "trash",
    answer: payFirst ? "refused" : archivedSeen === "contradicted" ? "allowed" : undefined,
    assumption: "bs.trash-archived",
  });
  return cheap.items.map((item) => {
    if (item.action !== "trash" && item.action !== "restore") return item;
    // A restore is bought only for a trash move: whatever stops trash moves stops restores too.
    const stopped = stoppedBecause(ledger, "bs-trash") ?? (item.action === "restore" ? stoppedBecause(ledger, "bs-restore") : undefined);
    return stopped === undefined ? item : { ...item, action: "skip", reason: stopped };
  });
}
