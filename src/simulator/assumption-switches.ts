import { z } from "zod";

/**
 * Every reading of the real services that a delivery, deletion, archive or billed action depends on and
 * that no source confirms, as a switch: the simulator can play each alternative, so a test can run the
 * orchestrator in every world we cannot rule out. The ids are those of the product's ledger
 * (src/assumptions/ledger.ts, docs/assumptions.md), where the evidence for each default is given; the
 * first alternative listed is the default, our best reading.
 * @internal exported for the tests
 */
export const assumptionSwitches = {
  "bs.trash-endpoint": {
    description: "DELETE /v2/datasets/{id} and DELETE /v2/runs/{id} move the item to the trash",
    alternatives: {
      "v2-delete": "both DELETEs move the item to the trash (the predecessor's reading)",
      absent: "neither exists: both answer 405 (the swagger has only GET and POST on these paths)",
      "runs-only": "runs can be trashed, datasets answer 405 (BaseMount has no move-to-trash for datasets)",
    },
  },
  "bs.trash-archived": {
    description: "BaseSpace refuses to move archived data to the trash, so it must be restored first",
    alternatives: {
      refused: "a trash move of an archived item answers 400 naming the restore",
      allowed: "archived items are moved to the trash directly, no restore needed",
    },
  },
  "bs.repeated-trash-move": {
    description: "what a trash move of an item already in the trash answers (a retry after a lost answer)",
    alternatives: {
      "bad-request": "400: the item is already in the trash",
      "not-found": "404: a trashed item is gone from view",
      "no-op": "200 with the trash item again, nothing changes",
    },
  },
  "bs.empty-trash": {
    description: "DELETE /v2/trash purges the trash at once",
    alternatives: {
      immediate: "every trash item is removed for good before the answer",
      deferred: "the answer comes at once, the items stay listed until the purge runs (60 simulated seconds)",
    },
  },
  "bs.sort-date-created": {
    description: "BaseSpace honours sortby=DateCreated on dataset and run listings",
    alternatives: {
      honoured: "items come in creation order",
      ignored: "the sort field is ignored: items come in id order, whatever was asked",
    },
  },
  "bs.page-limit": {
    description: "BaseSpace accepts limit=1024 and fills pages up to it",
    alternatives: {
      accepted: "up to 1024 items a page; larger limits are clamped to 1024",
      "clamped-100": "pages hold at most 100 items, and Paging.Limit says 100",
      rejected: "a limit above 100 answers 400",
    },
  },
  "bs.ineligible-bulk": {
    description: "POST /v2/archive|restore with an ineligible id fails as a whole, changing nothing",
    alternatives: {
      reject: "400 naming the ineligible ids; nothing changes",
      skip: "eligible ids are processed, the rest ignored, 200",
    },
  },
  "ica.folder-status": {
    description: "an ICA folder's details.status moves through ARCHIVING/ARCHIVED/UNARCHIVING with its files",
    alternatives: {
      "follows-files": "the folder's status changes with its files'",
      "stays-available": "the folder stays AVAILABLE while its files are archived and unarchived",
    },
  },
  "ica.multi-value-query": {
    description: "a repeated query parameter (id=a&id=b, filePath=A&filePath=B) selects the union",
    alternatives: {
      union: "items matching any of the values",
      "last-only": "only the last value is honoured",
    },
  },
  "ica.delete-archived": {
    description: "ICA refuses :delete of ARCHIVED data, so it must be unarchived (billed) first",
    alternatives: {
      refused: "409 naming the unarchive",
      allowed: "archived data is deleted directly",
    },
  },
  "ica.repeated-lifecycle-action": {
    description: "asking for the state data is already in or moving to (:archive of ARCHIVED) is a no-op",
    alternatives: {
      "no-op": "204, nothing changes",
      conflict: "409",
    },
  },
  "ica.duplicate-path": {
    description: "creating data at a path that exists answers 409",
    alternatives: {
      conflict: "409 Conflict",
      "bad-request": "400 Bad Request",
    },
  },
  "ica.upload-available": {
    description: "an uploaded file is AVAILABLE as soon as its PUT returns",
    alternatives: {
      "on-put": "AVAILABLE when the bytes arrive",
      delayed: "PARTIAL for 30 more simulated seconds after the bytes arrive",
    },
  },
  "ica.link-keeps-path": {
    description: "a file linked into another project keeps its source path there",
    alternatives: {
      "keeps-path": "the linked file is listed at its source path",
      root: "a file linked on its own lands in the destination's root folder, under its name",
    },
  },
  "ica.source-delete-removes-links": {
    description: "deleting source data takes its links in other projects with it",
    alternatives: {
      "removes-links": "the links go with the source",
      "links-survive": "the links stay listed (AVAILABLE) in the projects they were linked into",
    },
  },
  "ica.relaunch-definition": {
    description: "an analysis created from what the GET endpoints expose of a failed one runs like it",
    alternatives: {
      runs: "a relaunch is queued, runs and ends as its original's fixture says",
      "fails-before-start": "a relaunch is accepted and queued, then FAILED without ever starting (it lacked what no GET exposes)",
    },
  },
} as const satisfies Record<string, { description: string; alternatives: Record<string, string> }>;

export type AssumptionId = keyof typeof assumptionSwitches;
export type AlternativeOf<I extends AssumptionId> = keyof (typeof assumptionSwitches)[I]["alternatives"] & string;
export type AssumptionValues = { [I in AssumptionId]: AlternativeOf<I> };

/** The simulated seconds `bs.empty-trash=deferred` and `ica.upload-available=delayed` wait. */
export const DEFERRED_PURGE_MS = 60_000;
export const DELAYED_AVAILABLE_MS = 30_000;

/** @internal exported for the tests */
export const assumptionIds = Object.keys(assumptionSwitches) as AssumptionId[];

const alternativesOf = (id: AssumptionId): string[] => Object.keys(assumptionSwitches[id].alternatives);

export class AssumptionSwitchError extends Error {
  override name = "AssumptionSwitchError";
}

const patchSchema = z.record(z.string(), z.string());

function defaultAssumptionValues(): AssumptionValues {
  return Object.fromEntries(assumptionIds.map((id) => [id, alternativesOf(id)[0]])) as AssumptionValues;
}

/** Checks a patch: every id known, every value one of its alternatives; throws a one-line error naming the culprit. */
function parseAssumptionPatch(raw: unknown): Partial<AssumptionValues> {
  const parsed = patchSchema.safeParse(raw);
  if (!parsed.success) throw new AssumptionSwitchError('assumptions must be an object like {"bs.trash-endpoint": "absent"}');
  for (const [id, value] of Object.entries(parsed.data)) {
    if (!(assumptionIds as string[]).includes(id)) {
      throw new AssumptionSwitchError(`unknown assumption "${id}"; known: ${assumptionIds.join(", ")}`);
    }
    const allowed = alternativesOf(id as AssumptionId);
    if (!allowed.includes(value)) {
      throw new AssumptionSwitchError(`assumption "${id}" has no alternative "${value}"; use one of ${allowed.join(", ")}`);
    }
  }
  return parsed.data as Partial<AssumptionValues>;
}

/** `--assume id=alternative` (repeatable) as a patch. */
export function parseAssumeOption(entries: readonly string[]): Partial<AssumptionValues> {
  const patch: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new AssumptionSwitchError(`--assume ${entry}: write it as <id>=<alternative>, e.g. bs.trash-endpoint=absent`);
    patch[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return parseAssumptionPatch(patch);
}

export interface AssumptionView {
  id: AssumptionId;
  description: string;
  value: string;
  alternatives: Record<string, string>;
}

/**
 * The alternatives in play for one simulator. Services ask `is(id, alternative)` when they answer a
 * request, so a change through the control plane takes effect on the next request. `/__sim/reset` goes
 * back to the values the simulator was started with.
 */
export class SimAssumptions {
  private current: AssumptionValues;
  private readonly initial: AssumptionValues;

  constructor(start: Partial<AssumptionValues> = {}) {
    this.initial = { ...defaultAssumptionValues(), ...parseAssumptionPatch(start) };
    this.current = { ...this.initial };
  }

  value<I extends AssumptionId>(id: I): AlternativeOf<I> {
    return this.current[id];
  }

  is<I extends AssumptionId>(id: I, alternative: AlternativeOf<I>): boolean {
    return this.current[id] === alternative;
  }

  list(): AssumptionView[] {
    return assumptionIds.map((id) => ({
      id,
      description: assumptionSwitches[id].description,
      value: this.current[id],
      alternatives: { ...assumptionSwitches[id].alternatives },
    }));
  }

  /** Throws AssumptionSwitchError (nothing changed) when the patch names an unknown id or value. */
  update(raw: unknown): AssumptionView[] {
    this.current = { ...this.current, ...parseAssumptionPatch(raw) };
    return this.list();
  }

  restore(): void {
    this.current = { ...this.initial };
  }
}
