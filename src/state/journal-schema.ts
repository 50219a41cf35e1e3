import { z } from "zod";
import { personDecisionSchema } from "./person-decision-schema.js";

export const journalVersion = 1;

const timestamp = z.iso.datetime();
const id = z.string().min(1);

/**
 * Where an analysis being managed stands. Each value names the step still to do:
 * `link` (batches in linkBatchIds may be running), `verify` (check the destination lists every
 * file), `manifest` (create and upload it; manifest.dataId once created), `record` (append the
 * managed-table row, after which the entry is removed).
 */
const manageSteps = ["link", "verify", "manifest", "record"] as const;
export type ManageStep = (typeof manageSteps)[number];

const manifestStatuses = ["created", "uploaded"] as const;

const managingSchema = z.strictObject({
  runId: z.string().optional(),
  step: z.enum(manageSteps),
  linkBatchIds: z.array(id),
  linkedDataIds: z.array(id),
  manifest: z.strictObject({ dataId: id, status: z.enum(manifestStatuses) }).optional(),
  /**
   * The FASTQs selected for delivery when linking started: a file gone from the source later is
   * missed, not silently dropped (journals written before this lack it).
   */
  selection: z.array(z.strictObject({ id, name: z.string(), path: z.string() })).optional(),
  startedAt: timestamp,
  updatedAt: timestamp,
});
export type ManagingEntry = z.infer<typeof managingSchema>;

const analysisKinds = ["bssh", "ica", "unknown"] as const;
export type AnalysisKind = (typeof analysisKinds)[number];

/**
 * What a cycle knows about an output folder without reading it: ARCHIVED (archived by this tool, or
 * found so) needs no look until the analysis reaches days_to_delete; DELETED needs none ever again.
 */
const knownOutputStatuses = ["ARCHIVED", "DELETED"] as const;
export type KnownOutputStatus = (typeof knownOutputStatuses)[number];

const classificationSchema = z.strictObject({
  kind: z.enum(analysisKinds),
  /** BaseSpace project names read from bsshoutput.json (bssh only). */
  basespaceProjects: z.array(z.string()),
  /** name → id of those projects, where bsshoutput.json gives the id (older journals lack it). */
  basespaceProjectIds: z.record(z.string(), id).optional(),
  outputFolderId: id.optional(),
  /** Kept with the id so the protect list can match the path without reading the folder again. */
  outputFolderPath: z.string().optional(),
  outputStatus: z.strictObject({ status: z.enum(knownOutputStatuses), since: timestamp }).optional(),
  classifiedAt: timestamp,
});
export type Classification = z.infer<typeof classificationSchema>;

/** ICA data asked to unarchive so that it can be deleted once AVAILABLE. */
const pendingIcaDeleteSchema = z.strictObject({
  projectId: id,
  analysisId: id.optional(),
  path: z.string().optional(),
  unarchiveRequestedAt: timestamp,
});
export type PendingIcaDelete = z.infer<typeof pendingIcaDeleteSchema>;

const basespaceKinds = ["dataset", "run"] as const;
export type BasespaceKind = (typeof basespaceKinds)[number];

/** Restores cost credits and take up to two days, so each is asked for once and remembered. */
const basespaceRestoreSchema = z.strictObject({ kind: z.enum(basespaceKinds), requestedAt: timestamp });

/** What this tool moved to the BaseSpace trash, so emptying it can tell its own items from others'. */
const trashedSchema = z.strictObject({
  kind: z.enum(basespaceKinds),
  name: z.string().optional(),
  trashedAt: timestamp,
  /**
   * Recorded before the move was asked for and not yet seen to take effect (a kill can come in
   * between): found live again, such an item was most likely never moved, so it is not a person's
   * restore. Cleared once the move is answered or the item is listed in the trash.
   */
  pending: z.literal(true).optional(),
});

/**
 * One relaunch of a failed analysis (`--requeue_failed`). Recorded, and saved, before the create call:
 * a cycle killed in between finds the attempt and never launches it twice (see orchestrator/plan/requeue).
 */
const requeueAttemptSchema = z.strictObject({
  /** 1, 2, … per original analysis. */
  attempt: z.int().positive(),
  userReference: z.string().min(1),
  requestedAt: timestamp,
  /** The new analysis, once ICA answered or a listing showed it. */
  analysisId: id.optional(),
});

/**
 * A delivered analysis (its manifest read back AVAILABLE and every selected FASTQ listed in the
 * destination): kept from archive and delete until min_days_after_delivery past `deliveredAt`.
 */
const deliveredSchema = z.strictObject({ runId: z.string(), deliveredAt: timestamp });

/** Why an analysis waits for an operator (`mark-managed`, `redeliver`) rather than being recorded. */
const undeliverableReasons = ["no-fastq", "missing-fastq"] as const;
const undeliverableSchema = z.strictObject({
  runId: z.string(),
  reason: z.enum(undeliverableReasons),
  detail: z.string(),
  since: timestamp,
  /**
   * The FASTQ selection settings the analysis was last looked at with, and when: a `no-fastq` hold is
   * not listed again while they stand and a day has not passed (see plan/resting-holds.ts). Holds
   * written before lack both, and are looked at again.
   */
  selection: z.string().optional(),
  checkedAt: timestamp.optional(),
});
export type UndeliverableEntry = z.infer<typeof undeliverableSchema>;

/**
 * An operator's `redeliver <analysis>`: the next cycles deliver the analysis (again) until one
 * succeeds, which clears it. Superseded and held analyses included (see plan/redelivery.ts).
 */
const redeliverySchema = z.strictObject({
  requestedAt: timestamp,
  /**
   * The manifest the redelivery uploads: named after `runId` (the run's first delivered analysis, whose
   * manifest it replaces), numbered `redelivery` (0: the original name). Chosen by the cycle that starts
   * it and kept, so a resumed redelivery keeps its manifest's name.
   */
  manifest: z.strictObject({ runId: z.string().min(1), redelivery: z.int().nonnegative() }).optional(),
});

/** `cycles.json`: how many cycles ran and the last one, kept apart from the journal (see journalFileSchema). */
export const cyclesSchema = z.strictObject({
  count: z.int().nonnegative(),
  lastCycleId: z.string().optional(),
  lastStartedAt: timestamp.optional(),
  lastFinishedAt: timestamp.optional(),
});
export type CycleCounts = z.infer<typeof cyclesSchema>;

const journalSchema = z.strictObject({
  version: z.literal(journalVersion),
  cycles: cyclesSchema,
  managing: z.record(id, managingSchema),
  classifications: z.record(id, classificationSchema),
  pendingIcaDeletes: z.record(id, pendingIcaDeleteSchema),
  basespaceRestores: z.record(id, basespaceRestoreSchema),
  trashedByUs: z.record(id, trashedSchema),
  /** By original analysis id. Journals written before requeue existed lack the key. */
  requeues: z.record(id, z.array(requeueAttemptSchema)).default({}),
  /** Protect entries already reported as matching nothing; each is reported once until it matches again. */
  protectUnmatchedWarned: z.array(z.string()).default([]),
  /**
   * Which id a name resolved to when it was last acted on (`bs-project:<name>`, `bs-run:<name>`): a name
   * that later resolves to another id names something else now, and is not acted on.
   */
  identities: z.record(z.string(), id).default({}),
  /** By item id (ICA folder, BaseSpace dataset or run). Journals written before it existed lack the key. */
  personDecisions: z.record(id, personDecisionSchema).default({}),
  /** By analysis id; journals written before delivery times were kept lack the key. */
  delivered: z.record(id, deliveredSchema).default({}),
  /** By analysis id: new analyses held until an operator decides. */
  undeliverable: z.record(id, undeliverableSchema).default({}),
  /** By analysis id: operator requests to deliver again; journals written before `redeliver` lack the key. */
  redeliveries: z.record(id, redeliverySchema).default({}),
  /**
   * By analysis id: the bytes of its output folder's files, summed when delivery listed them. ICA gives
   * folders no size, so plans and cost estimates take it from here. Journals written before lack the key.
   */
  outputBytes: z.record(id, z.int().nonnegative()).default({}),
});
export type JournalData = z.infer<typeof journalSchema>;

/**
 * `journal.json` on disk: the journal without its cycle counts, which change every cycle and live in
 * `cycles.json`, so that a cycle with nothing in flight does not rewrite megabytes of journal. Journals
 * written before the split still carry `cycles`: read, used when `cycles.json` is missing, then dropped.
 */
export const journalFileSchema = journalSchema.extend({ cycles: cyclesSchema.optional() });
export type JournalFileData = z.infer<typeof journalFileSchema>;

export function emptyJournal(): JournalData {
  return {
    version: journalVersion,
    cycles: { count: 0 },
    managing: {},
    classifications: {},
    pendingIcaDeletes: {},
    basespaceRestores: {},
    trashedByUs: {},
    requeues: {},
    protectUnmatchedWarned: [],
    identities: {},
    personDecisions: {},
    delivered: {},
    undeliverable: {},
    redeliveries: {},
    outputBytes: {},
  };
}
