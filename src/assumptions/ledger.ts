/**
 * Every belief about the real ICA and BaseSpace that a delivery, deletion, archive or billed action of
 * this product depends on, and that no one here has seen confirmed by the live services. Each names its
 * evidence, what the product does (or would do) if it is false, and what a running cycle can observe to
 * confirm or contradict it. docs/assumptions.md is rendered from this list (test/assumptions keeps them
 * equal); the simulator plays each alternative under the same id (src/simulator/assumption-switches.ts).
 */

/** The kinds of action an assumption gates: what stops when it is contradicted. */
export type ActionKind =
  | "bs-trash"
  | "bs-restore"
  | "bs-archive"
  | "bs-empty-trash"
  | "bs-listing"
  | "ica-archive"
  | "ica-unarchive"
  | "ica-delete"
  | "ica-manifest-upload"
  | "ica-link"
  | "ica-relaunch";

export interface Assumption {
  id: string;
  service: "ICA" | "BaseSpace";
  /** The belief, as the product acts on it. */
  statement: string;
  /** Spec line, notes section or predecessor code; "none" when nothing supports it. */
  evidence: string;
  /** What the product does, or would wrongly do, in a world where it is false. */
  ifFalse: string;
  /** What a running cycle can see that confirms or contradicts it. */
  observable: string;
  /** The actions that rest on it. */
  gates: readonly ActionKind[];
  /** The simulator's alternatives to the default (assumption-switches.ts); empty when not simulated yet. */
  alternatives: readonly string[];
}

export const ledger: readonly Assumption[] = [
  {
    id: "bs.trash-endpoint",
    service: "BaseSpace",
    statement: "`DELETE /v2/datasets/{id}` and `DELETE /v2/runs/{id}` move the item to the trash.",
    evidence:
      "Only the predecessor's code uses them, without checking the answer; the v2 swagger has only GET and POST on " +
      "these paths (basespace-api-notes §10). Another public client trashes runs with `DELETE /v1pre3/runs/{id}`; " +
      "BaseMount cannot trash datasets (§13).",
    ifFalse:
      "Every trash move fails with 404/405; today each failure is reported and the item forgotten as ours, and a " +
      "restore bought for the trash move is wasted.",
    observable:
      "The DELETE's status (405/404 contradicts) and, after a 2xx, the item in `GET /v2/trash` or `IsDeleted=true` " +
      "on `GET /v2/{datasets|runs}/{id}` (confirms).",
    gates: ["bs-trash", "bs-restore"],
    alternatives: ["absent", "runs-only"],
  },
  {
    id: "bs.trash-archived",
    service: "BaseSpace",
    statement: "BaseSpace refuses to move archived data to the trash, so archived data is restored (billed, ~2 days) first.",
    evidence:
      "None official; only the predecessor's README restores before deleting (basespace-api-notes §9, §13: \"treat " +
      "restore before trash as an assumption to test\").",
    ifFalse:
      "Every restore before a trash move would be money spent for nothing (restoring is billed per TB); so the cheap " +
      "path asks first: one archived item is trashed as it is, and restores are paid only after BaseSpace refused that.",
    observable: "A trash move of an archived item: 400 naming the restore confirms; a 2xx contradicts.",
    gates: ["bs-restore"],
    alternatives: ["allowed"],
  },
  {
    id: "bs.repeated-trash-move",
    service: "BaseSpace",
    statement:
      "A trash move of an item already in the trash (a retry after a lost answer) answers 400 \"already in the " +
      "trash\".",
    evidence: "None; the answer codes of the trash DELETE are not documented (basespace-api-notes §10, §11).",
    ifFalse:
      "Nothing the product does rests on it: a trash move is never repeated blindly (sent with `replay: never`; " +
      "after an ambiguous failure the item is read, and `IsDeleted=true` or gone counts as done), and an item " +
      "found in the trash before our move is someone else's and left alone. Only a person trashing the item " +
      "between that read and our DELETE could draw the answer: a 400 or 404 then reports the move failed and " +
      "forgets the item as ours, which is right, since it was not ours.",
    observable:
      "Not observable: the product never sends a trash move onto an item it has seen in the trash, so no cycle " +
      "receives the answer this entry is about (the matrix shows every alternative is safe).",
    gates: ["bs-trash"],
    alternatives: ["not-found", "no-op"],
  },
  {
    id: "bs.empty-trash",
    service: "BaseSpace",
    statement: "`DELETE /v2/trash` removes every item of the context's trash, at once.",
    evidence:
      "Swagger: \"Delete all items in the trash\"; release notes 4.13/4.15 hint the purge is not synchronous " +
      "(basespace-api-notes §10, §13).",
    ifFalse:
      "A deferred or partial purge leaves items listed that the journal has forgotten as ours, so a cycle before " +
      "the purge lands would take them for someone else's; the product stops purging until acknowledged.",
    observable:
      "`GET /v2/trash` right after our purge (one call, only until the entry is confirmed): none of the items it " +
      "was sent on listed confirms; one still listed contradicts.",
    gates: ["bs-empty-trash"],
    alternatives: ["deferred"],
  },
  {
    id: "bs.sort-date-created",
    service: "BaseSpace",
    statement: "`sortby=DateCreated&sortdir=Asc` is honoured on `/v2/datasets` and `/v2/runs`.",
    evidence:
      "In the swagger's sort enums; no public client was seen using it on v2 (basespace-api-notes §13).",
    ifFalse:
      "The listing stops at the first item younger than the archive window, silently skipping aged items " +
      "further on: they are never archived or trashed.",
    observable: "`DateCreated` of the items as pages arrive: any item older than the one before it contradicts.",
    gates: ["bs-listing"],
    alternatives: ["ignored"],
  },
  {
    id: "bs.page-limit",
    service: "BaseSpace",
    statement: "`limit=1024` is accepted and pages are filled up to it.",
    evidence: "Search API reference: \"Range: 0-1024 … may be less than requested\" (basespace-api-notes §13).",
    ifFalse:
      "Short pages cost more calls (the listing pages by TotalCount, so nothing is missed); a 400 is asked once " +
      "more with `limit=100`, which then holds for the cycle, and for every cycle while the entry stands contradicted.",
    observable:
      "Each page the listings fetch anyway: `Paging.Limit` below the limit asked, a page short of it before " +
      "`TotalCount`, or a 400 that `limit=100` does not get contradicts; `Paging.Limit` equal to it confirms.",
    gates: ["bs-listing"],
    alternatives: ["clamped-100", "rejected"],
  },
  {
    id: "bs.ineligible-bulk",
    service: "BaseSpace",
    statement: "`POST /v2/archive|restore` with one ineligible id fails as a whole and changes nothing.",
    evidence: "None: \"the real behaviour is unknown\" (basespace-api-notes §9, §12).",
    ifFalse:
      "Part of a batch is archived or restored while the answer looks like success for all of it. The product " +
      "never takes the answer as the items' state: each cycle plans from the listing's `IsArchived`, so a skipped " +
      "item is planned again once eligible, and a restore is waited on only while the item reads archived.",
    observable:
      "Not observable: a batch holds only ids the listing showed eligible and a read right before the request " +
      "showed unchanged, so an ineligible one means a person changed it in between; the `IsArchived` the next listing shows for it then reads the same whether " +
      "BaseSpace skipped it or the person changed it back, and the 200's body is an undocumented string.",
    gates: ["bs-archive", "bs-restore"],
    alternatives: ["skip"],
  },
  {
    id: "ica.folder-status",
    service: "ICA",
    statement: "An output folder's `details.status` moves through ARCHIVING/ARCHIVED/UNARCHIVING with its files.",
    evidence:
      "None: the spec says `:archive`/`:delete` on a folder act on everything below it, not that the folder's own " +
      "status changes; the predecessor read a marker file's status instead (ica-api-notes, last section).",
    ifFalse:
      "A folder that stays AVAILABLE is archived again every cycle, and at delete age `:delete` is sent onto " +
      "archived children instead of an unarchive.",
    observable: "After an archive, the files' statuses (or a marker file's) against the folder's.",
    gates: ["ica-archive", "ica-unarchive", "ica-delete"],
    alternatives: ["stays-available"],
  },
  {
    id: "ica.multi-value-query",
    service: "ICA",
    statement: "A repeated query parameter (`id=a&id=b`, `filePath=A&filePath=B`) returns the union.",
    evidence:
      "The spec types them as arrays (form, explode: repeated); libica serialises them that way; no public client " +
      "sends more than one value (ica-api-notes, last section).",
    ifFalse: "Folders missing from such a listing are recorded as DELETED and never archived or deleted.",
    observable: "A direct `GET /data/{id}` of an id missing from the listing: found contradicts.",
    gates: ["ica-archive", "ica-delete"],
    alternatives: ["last-only"],
  },
  {
    id: "ica.delete-archived",
    service: "ICA",
    statement: "ICA refuses `:delete` of ARCHIVED data, so it is unarchived (30 iCredits/TB) first.",
    evidence: "None either way (ica-api-notes, last section); the predecessor unarchives first.",
    ifFalse:
      "Every unarchive before a delete would be money spent for nothing; so the cheap path asks first: one ARCHIVED " +
      "folder is deleted as it is, and unarchives are paid only after ICA refused that.",
    observable: "A `:delete` of an ARCHIVED folder: 409 confirms, 204 contradicts.",
    gates: ["ica-unarchive"],
    alternatives: ["allowed"],
  },
  {
    id: "ica.repeated-lifecycle-action",
    service: "ICA",
    statement: "`:archive` of data already ARCHIVING/ARCHIVED (a retry) answers 204 and changes nothing.",
    evidence: "None; the spec documents no error for it.",
    ifFalse:
      "Nothing the product does rests on it: a lifecycle call is never repeated blindly (`replay: never`); the " +
      "folder is read before each attempt and after an ambiguous failure, and a status showing the action under " +
      "way or done counts as done, so no `:archive` is sent onto data already ARCHIVING or ARCHIVED.",
    observable:
      "Not observable: the product never sends the repeated action this entry is about, so no cycle receives " +
      "its answer (the matrix shows every alternative is safe).",
    gates: ["ica-archive"],
    alternatives: ["conflict"],
  },
  {
    id: "ica.duplicate-path",
    service: "ICA",
    statement: "Creating data at a path that exists answers 409, which the manifest upload takes as \"already there\".",
    evidence: "None in the spec; the predecessor expects 409.",
    ifFalse:
      "A 400 is looked into (one listing, only then): a file at the path is taken as \"already there\" and the " +
      "manifest finished as with a 409; manifest uploads then stop until acknowledged.",
    observable: "The answer to a create whose path a listing shows as existing: 409 confirms, 400 contradicts.",
    gates: ["ica-manifest-upload"],
    alternatives: ["bad-request"],
  },
  {
    id: "ica.upload-available",
    service: "ICA",
    statement: "An uploaded file is AVAILABLE as soon as its PUT returns.",
    evidence: "None; ica-api-notes §6 infer PARTIAL until the bytes arrive.",
    ifFalse:
      "The manifest reads PARTIAL after its upload: it is not reported uploaded, the analysis is not recorded, and " +
      "a later cycle reads the same file again (never creates a second); manifest uploads stop until acknowledged.",
    observable:
      "The file read back right after our upload's PUT (a read the upload makes anyway): AVAILABLE confirms, " +
      "PARTIAL contradicts.",
    gates: ["ica-manifest-upload"],
    alternatives: ["delayed"],
  },
  {
    id: "ica.link-keeps-path",
    service: "ICA",
    statement: "A file linked into the destination keeps its source path there.",
    evidence:
      "`path` belongs to the shared Data object, so likely; not documented (ica-api-notes, last section).",
    ifFalse:
      "Delivered FASTQs are not listed under their source folder in the destination; the cycle looks each up by id, " +
      "delivers it where it is (the manifest names that path) and stops linking until acknowledged.",
    observable:
      "The destination listing after a linking batch: the data id at the source path confirms; a linked id found " +
      "by `GET /data/{id}` at another path contradicts.",
    gates: ["ica-link"],
    alternatives: ["root"],
  },
  {
    id: "ica.source-delete-removes-links",
    service: "ICA",
    statement: "Deleting (or archiving) source data takes its links in other projects with it.",
    evidence: "No evidence either way (ica-api-notes, last section).",
    ifFalse:
      "If links survive, deleting the source frees nothing for the destination; if they go (our reading), delivered " +
      "FASTQs disappear from the destination at delete age, which the product accepts by design.",
    observable:
      "The destination listing under a delivered analysis' folder path once its source folder is gone (404): empty " +
      "confirms, files still listed contradict.",
    gates: ["ica-delete"],
    alternatives: ["links-survive"],
  },
  {
    id: "ica.relaunch-definition",
    service: "ICA",
    statement:
      "A failed analysis started again from what the GET endpoints expose of it (pipeline id, inputs, parameters, " +
      "storage size, tags) is the same analysis, accepted under the userReference sent.",
    evidence:
      "The create endpoints take a structured input (spec L4457, L4581); no endpoint returns an existing analysis' " +
      "referenceDataParameters or activation code, so ICA's defaults stand in (launch/relaunch.ts). The predecessor " +
      "never relaunched.",
    ifFalse:
      "Every relaunch is billed and fails before it runs (or runs something else), and a crashed cycle cannot find " +
      "its attempt by userReference; without a canary `--requeue_failed` would pay for that on every failed analysis.",
    observable:
      "The first relaunch (canary `ica-relaunch`) read back from the source project's analyses on a later cycle: " +
      "listed with the userReference sent and the original's pipeline, and started (a start date, or running or " +
      "done) confirms; failed or aborted without ever starting, another userReference or pipeline, or absent " +
      "contradicts — recorded on that canary, which stops relaunches until `ica-orchestrator ack ica-relaunch`.",
    gates: ["ica-relaunch"],
    alternatives: ["fails-before-start"],
  },
];

export function assumptionById(id: string): Assumption | undefined {
  return ledger.find((entry) => entry.id === id);
}
