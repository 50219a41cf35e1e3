import type { CanaryEntry, CanaryKind, Canaries } from "../../assumptions/canaries.js";
import type { BaseSpaceClient } from "../../basespace/client.js";
import { NotFoundError } from "../../http/errors.js";
import type { IcaClient } from "../../ica/client.js";
import { getDataStatusAndPath } from "../../modules/data-transfer/index.js";
import { statusOfFilesUnder } from "../../modules/outputs/index.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";

/** What reading a canary's item back shows: its postcondition holds, fails, is still under way, or cannot be read (the item is gone). */
type Verdict = { verdict: "confirmed" | "contradicted"; how: string } | { verdict: "pending" } | { verdict: "gone" };

export type ReadBack = (kind: CanaryKind, entry: CanaryEntry) => Promise<Verdict>;

/**
 * Reads back the item of every canary of these kinds that was applied and not yet confirmed, from the
 * service that holds the truth, and settles it: a confirmed kind runs at full rate from this cycle on,
 * a contradicted one stops until `ica-orchestrator ack <kind>`. A failed read leaves it for the next cycle.
 */
export async function verifyCanaries(
  canaries: Canaries,
  kinds: readonly CanaryKind[],
  readBack: ReadBack,
  now: Date,
  rec: StepRecorder,
): Promise<void> {
  for (const kind of kinds) {
    const entry = canaries.of(kind);
    if (entry?.state !== "applied") continue;
    let seen: Verdict;
    try {
      seen = await readBack(kind, entry);
    } catch (error) {
      rec.warn(`canary of ${kind} on ${entry.item.label} not read back: ${messageOf(error)}; tried again next cycle`);
      continue;
    }
    if (seen.verdict === "gone") {
      rec.logger.info(`canary of ${kind}: ${entry.item.label} is gone, nothing to read back; the next ${kind} goes first on one item again`);
      canaries.forget(kind);
    } else if (seen.verdict === "confirmed") {
      rec.logger.info(`canary of ${kind} confirmed: ${seen.how}; it runs at full rate now`);
      canaries.settle(kind, "confirmed", seen.how, now);
    } else if (seen.verdict === "contradicted") {
      rec.warn(`canary of ${kind} contradicted: ${seen.how}; no more ${kind} until \`ica-orchestrator ack ${kind}\``);
      canaries.settle(kind, "contradicted", seen.how, now);
    }
  }
}

/** The status each ICA action brings data to, and the one it passes through. */
const icaPostconditions = {
  "ica-archive": { reached: "ARCHIVED", transit: "ARCHIVING" },
  "ica-unarchive": { reached: "AVAILABLE", transit: "UNARCHIVING" },
  "ica-delete": { reached: "DELETED", transit: "DELETING" },
} as const;

export const icaCanaryKinds = Object.keys(icaPostconditions) as Array<keyof typeof icaPostconditions>;

/**
 * An ICA folder's status read back, judged by its files when the folder says AVAILABLE (a folder's own
 * status is not documented to follow them: ledger ica.folder-status).
 */
export function readIcaPostcondition(ica: IcaClient): ReadBack {
  return async (kind, { item }) => {
    const expected = icaPostconditions[kind as keyof typeof icaPostconditions];
    const projectId = item.projectId ?? "";
    const data = await getDataStatusAndPath(ica, projectId, item.id);
    let status: string = data.status;
    if (status === "AVAILABLE" && kind !== "ica-delete") status = (await statusOfFilesUnder(ica, projectId, { path: data.path ?? item.label })) ?? status;
    if (status === expected.reached) return { verdict: "confirmed", how: `${item.label} read back ${status}` };
    if (status === expected.transit) return { verdict: "pending" };
    if (status === "DELETED") return { verdict: "gone" };
    return { verdict: "contradicted", how: `${item.label} read back ${status}, not ${expected.reached}, after ICA accepted the ${kind.slice(4)}` };
  };
}

/** BaseSpace documents restores as taking up to 48 hours; one still archived after this did not happen. */
const restoreGivenUpAfterMs = 3 * 24 * 3600_000;
/** A purge the service deferred (ledger bs.empty-trash) may take a while; one not done after this did not happen. */
const purgeGivenUpAfterMs = 24 * 3600_000;

export const basespaceCanaryKinds = ["bs-archive", "bs-restore", "bs-trash", "bs-empty-trash"] as const satisfies readonly CanaryKind[];

/** A BaseSpace dataset or run read back by id: `IsArchived`, `IsDeleted`, or gone (purged). */
export function readBasespacePostcondition(bs: BaseSpaceClient, now: Date): ReadBack {
  return async (kind, { item, at }) => {
    const waited = now.getTime() - Date.parse(at);
    let state;
    try {
      state = await bs.getItem(item.kind ?? "dataset", item.id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return kind === "bs-trash" || kind === "bs-empty-trash" ? { verdict: "confirmed", how: `${item.label} is gone from BaseSpace (purged)` } : { verdict: "gone" };
    }
    const seen = `${item.label} read back IsArchived=${state.isArchived}, IsDeleted=${state.isDeleted}`;
    switch (kind) {
      case "bs-archive":
        if (state.isDeleted) return { verdict: "gone" };
        return state.isArchived ? { verdict: "confirmed", how: seen } : { verdict: "contradicted", how: `${seen} after BaseSpace accepted the archive` };
      case "bs-restore":
        if (state.isDeleted) return { verdict: "gone" };
        if (!state.isArchived) return { verdict: "confirmed", how: seen };
        return waited > restoreGivenUpAfterMs ? { verdict: "contradicted", how: `${seen} three days after BaseSpace accepted the restore` } : { verdict: "pending" };
      case "bs-trash":
        return state.isDeleted ? { verdict: "confirmed", how: seen } : { verdict: "contradicted", how: `${seen} after BaseSpace accepted the trash move` };
      default:
        // Still in the trash after the purge: a deferred purge, until a day has passed.
        if (!state.isDeleted) return { verdict: "gone" };
        return waited > purgeGivenUpAfterMs ? { verdict: "contradicted", how: `${seen} a day after BaseSpace accepted emptying the trash` } : { verdict: "pending" };
    }
  };
}
