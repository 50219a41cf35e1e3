import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileFenced, type Fence } from "./fenced-write.js";
import { jsonPieces } from "./json-pieces.js";
import type { PersonDecision } from "./person-decision-schema.js";
import {
  cyclesSchema,
  emptyJournal,
  journalFileSchema,
  journalVersion,
  type AnalysisKind,
  type BasespaceKind,
  type CycleCounts,
  type JournalData,
  type JournalFileData,
  type KnownOutputStatus,
  type ManageStep,
  type ManagingEntry,
  type PendingIcaDelete,
  type UndeliverableEntry,
} from "./journal-schema.js";

/** @internal exported for the tests */
export class JournalError extends Error {
  override name = "JournalError";
}

export interface JournalOptions {
  /** Dry run: load (or start empty) and allow in-memory changes, but save() never writes. */
  readOnly?: boolean;
  now?: () => Date;
  /** Where the cycle counts are kept (StatePaths.cycles); by default `cycles.json` next to the journal. */
  cyclesPath?: string;
  /** Throws when this cycle may no longer write into the state (the lock's fencing check); called before every write. */
  fence?: Fence;
}

/**
 * One line, not indented, in pieces (json-pieces.ts): the journal is written after every change a crash
 * must not lose, and at scale it is megabytes (every classification, delivery and item trashed).
 * Indentation doubled what each write serialized; one string of the whole cost a string and a buffer of
 * megabytes per save, allocated where the heap does not reuse them.
 */
function serialize(data: JournalData): string[] {
  const file: JournalFileData = { ...data };
  delete file.cycles;
  // Depth 2: the journal's sections, and each section's entries. Taken all at once: the cycle goes on
  // changing the journal while the pieces are written, and the file must be one moment of it.
  return [...jsonPieces(file, 2), "\n"];
}

/**
 * What save() compares with, instead of the last text written: a copy of the journal held for the
 * whole cycle would be megabytes at scale.
 */
function digestOf(text: string | readonly string[]): string {
  const hash = createHash("sha256");
  for (const piece of typeof text === "string" ? [text] : text) hash.update(piece);
  return hash.digest("hex");
}

/**
 * A journal that cannot be read stops the cycle with this advice rather than being reset: it holds
 * pending unarchive→delete and restore requests and which trash items are ours, which a fresh
 * journal would forget. Writes are atomic, so damage means a hand edit or a disk fault — both worth
 * a human look.
 */
function recovery(path: string): string {
  return `fix it, restore it from a backup, or move it aside (mv ${path} ${path}.bad) to start a fresh journal — which forgets pending restores, unarchive→delete requests and which trash items are this tool's`;
}

function invalidAt(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `${issue?.path.map(String).join(".") || "(root)"} (${issue?.message})`;
}

function parseJson(path: string, text: string, what: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JournalError(`${what} ${path} is not valid JSON (${(error as Error).message}): ${fix}`);
  }
}

function parseJournal(path: string, text: string): JournalFileData {
  const raw = parseJson(path, text, "journal", recovery(path));
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > journalVersion) {
    throw new JournalError(
      `journal ${path} is version ${version} but this ica-orchestrator reads version ${journalVersion}: upgrade ica-orchestrator`,
    );
  }
  const result = journalFileSchema.safeParse(raw);
  if (!result.success) throw new JournalError(`journal ${path} is invalid at ${invalidAt(result.error)}: ${recovery(path)}`);
  return result.data;
}

/** Only counts: a damaged file costs the count, nothing in flight. */
function parseCycles(path: string, text: string): CycleCounts {
  const fix = `delete it (it only counts cycles; the count starts again)`;
  const result = cyclesSchema.safeParse(parseJson(path, text, "cycle counts", fix));
  if (!result.success) throw new JournalError(`cycle counts ${path} are invalid at ${invalidAt(result.error)}: ${fix}`);
  return result.data;
}

async function readIfExists(path: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new JournalError(`cannot read ${what} ${path} (${code}): check its permissions`);
  }
}

async function write(path: string, text: string | readonly string[], what: string, fence: Fence): Promise<void> {
  try {
    await writeFileFenced(path, text, fence);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A failed fencing check says so itself; a file-system error gets the fix.
    if (code === undefined) throw error;
    throw new JournalError(`cannot write ${what} ${path} (${code}): make the state directory writable`);
  }
}

/**
 * `journal.json`: in-flight work and remembered facts, in memory with small mutation helpers; the
 * orchestrator calls save() after each step, which writes (atomically) only when something changed.
 * The cycle counts, which change every cycle, are written to their own small file.
 */
export class Journal {
  /** Set whenever a helper below reaches the data: save() serializes only then (megabytes at scale). */
  private touched = false;
  private cyclesTouched = false;

  private constructor(
    readonly path: string,
    private readonly cyclesPath: string,
    private readonly current: JournalData,
    /** Of the text read: a journal written by save() reads back to the same text. */
    private savedDigest: string,
    readonly readOnly: boolean,
    private readonly now: () => Date,
    private readonly fence: Fence,
  ) {}

  /**
   * The data as the helpers below change it: every access counts as a change, so a helper looks first
   * (through `current`) and comes here only to change something: a steady cycle that finds everything
   * as recorded then serializes nothing (5.6 MB at scale-1m).
   */
  private get state(): JournalData {
    this.touched = true;
    return this.current;
  }

  /** Loads the journal; a missing file is an empty journal (nothing is written until save()). */
  static async open(path: string, options: JournalOptions = {}): Promise<Journal> {
    const cyclesPath = options.cyclesPath ?? join(dirname(path), "cycles.json");
    const [text, cyclesText] = await Promise.all([readIfExists(path, "journal"), readIfExists(cyclesPath, "cycle counts")]);
    const file = text === undefined ? emptyJournal() : parseJournal(path, text);
    const cycles = cyclesText === undefined ? (file.cycles ?? { count: 0 }) : parseCycles(cyclesPath, cyclesText);
    const data: JournalData = { ...file, cycles };
    const digest = digestOf(text ?? serialize(data));
    const fence = options.fence ?? (() => undefined);
    return new Journal(path, cyclesPath, data, digest, options.readOnly ?? false, options.now ?? (() => new Date()), fence);
  }

  /** Read freely; change only through the helpers below. */
  get data(): Readonly<JournalData> {
    return this.current;
  }

  get changed(): boolean {
    return this.cyclesTouched || (this.touched && digestOf(serialize(this.current)) !== this.savedDigest);
  }

  /** Writes the journal and the cycle counts, each if it changed since the last load/save; returns whether it wrote. */
  async save(): Promise<boolean> {
    if (this.readOnly) return false;
    const wroteJournal = await this.saveJournal();
    if (!this.cyclesTouched) return wroteJournal;
    this.cyclesTouched = false;
    try {
      await write(this.cyclesPath, `${JSON.stringify(this.current.cycles)}\n`, "cycle counts", this.fence);
    } catch (error) {
      this.cyclesTouched = true;
      throw error;
    }
    return true;
  }

  private async saveJournal(): Promise<boolean> {
    if (!this.touched) return false;
    // Cleared before the write: a change made while it runs marks the journal again for the next save.
    this.touched = false;
    const text = serialize(this.current);
    const digest = digestOf(text);
    if (digest === this.savedDigest) return false;
    try {
      await write(this.path, text, "journal", this.fence);
    } catch (error) {
      this.touched = true;
      throw error;
    }
    this.savedDigest = digest;
    return true;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  beginCycle(cycleId: string): void {
    const { cycles } = this.current;
    cycles.count += 1;
    cycles.lastCycleId = cycleId;
    cycles.lastStartedAt = this.stamp();
    this.cyclesTouched = true;
  }

  finishCycle(): void {
    this.current.cycles.lastFinishedAt = this.stamp();
    this.cyclesTouched = true;
  }

  // ── analyses being managed ────────────────────────────────────────────────────────────────

  /** Starts tracking an analysis, or returns the entry a killed cycle left (to resume it). */
  startManaging(analysisId: string, runId?: string): Readonly<ManagingEntry> {
    const existing = this.current.managing[analysisId];
    if (existing) return existing;
    const at = this.stamp();
    const entry: ManagingEntry = { step: "link", linkBatchIds: [], linkedDataIds: [], startedAt: at, updatedAt: at };
    if (runId !== undefined) entry.runId = runId;
    this.state.managing[analysisId] = entry;
    return entry;
  }

  /** Applies `change` to the entry; bumps updatedAt only if it changed something. */
  private update(analysisId: string, change: (entry: ManagingEntry) => void): void {
    const entry = this.current.managing[analysisId];
    if (!entry) throw new JournalError(`journal has no analysis ${analysisId} being managed; call startManaging first`);
    const before = JSON.stringify(entry);
    change(entry);
    if (JSON.stringify(entry) === before) return;
    this.touched = true;
    entry.updatedAt = this.stamp();
  }

  recordLinkBatch(analysisId: string, batchId: string): void {
    this.update(analysisId, (entry) => {
      if (!entry.linkBatchIds.includes(batchId)) entry.linkBatchIds.push(batchId);
    });
  }

  /** Batches known to have finished (or that ICA no longer knows) need no look on a later resume. */
  dropLinkBatches(analysisId: string, batchIds: Iterable<string>): void {
    const drop = new Set(batchIds);
    this.update(analysisId, (entry) => {
      entry.linkBatchIds = entry.linkBatchIds.filter((id) => !drop.has(id));
    });
  }

  recordLinked(analysisId: string, dataIds: Iterable<string>): void {
    this.update(analysisId, (entry) => {
      entry.linkedDataIds = [...new Set([...entry.linkedDataIds, ...dataIds])];
    });
  }

  recordManifest(analysisId: string, manifest: NonNullable<ManagingEntry["manifest"]>): void {
    this.update(analysisId, (entry) => {
      entry.manifest = { dataId: manifest.dataId, status: manifest.status };
    });
  }

  /** The FASTQs selected when linking starts; kept from the first cycle that selected them. */
  recordSelection(analysisId: string, files: ReadonlyArray<{ id: string; name: string; path: string }>): void {
    this.update(analysisId, (entry) => {
      entry.selection ??= files.map(({ id, name, path }) => ({ id, name, path }));
    });
  }

  setStep(analysisId: string, step: ManageStep): void {
    this.update(analysisId, (entry) => {
      entry.step = step;
    });
  }

  /** The managed-table row is written: nothing is in flight for this analysis any more. */
  finishManaging(analysisId: string): void {
    if (this.current.managing[analysisId]) delete this.state.managing[analysisId];
  }

  // ── deliveries and analyses waiting for an operator ──────────────────────────────────────

  /** Delivered now (or by `redeliver`): the delivery time starts min_days_after_delivery again. */
  recordDelivered(analysisId: string, runId: string): void {
    this.state.delivered[analysisId] = { runId, deliveredAt: this.stamp() };
    delete this.state.undeliverable[analysisId];
  }

  /** The output folder's size as its listing summed it (see journal-schema `outputBytes`). */
  recordOutputBytes(analysisId: string, bytes: number): void {
    this.state.outputBytes[analysisId] = bytes;
  }

  /** Held for an operator; `since` is kept while the reason stays the same (an alert goes out once); checked now. */
  holdUndeliverable(analysisId: string, hold: Omit<UndeliverableEntry, "since" | "checkedAt">): void {
    const known = this.state.undeliverable[analysisId];
    const checkedAt = this.stamp();
    const since = known?.reason === hold.reason ? known.since : checkedAt;
    this.state.undeliverable[analysisId] = { ...hold, since, checkedAt };
  }

  /** An operator decided (`mark-managed`, `redeliver`), or the analysis delivered. */
  releaseUndeliverable(analysisId: string): void {
    if (this.current.undeliverable[analysisId]) delete this.state.undeliverable[analysisId];
  }

  /** `redeliver <analysis>`; false when a request is already pending (it keeps its first time). */
  requestRedelivery(analysisId: string): boolean {
    if (this.current.redeliveries[analysisId]) return false;
    this.state.redeliveries[analysisId] = { requestedAt: this.stamp() };
    return true;
  }

  /** The manifest a redelivery uploads, once chosen (see redeliverySchema). */
  chooseRedeliveryManifest(analysisId: string, manifest: { runId: string; redelivery: number }): void {
    const request = this.current.redeliveries[analysisId];
    if (request && request.manifest === undefined) this.state.redeliveries[analysisId] = { ...request, manifest: { ...manifest } };
  }

  /** Redelivered (or dropped: there is nothing to deliver). */
  finishRedelivery(analysisId: string): void {
    if (this.current.redeliveries[analysisId]) delete this.state.redeliveries[analysisId];
  }

  // ── remembered classifications of aged analyses ───────────────────────────────────────────

  classify(
    analysisId: string,
    classification: {
      kind: AnalysisKind;
      basespaceProjects?: string[];
      basespaceProjectIds?: Record<string, string>;
      outputFolderId?: string;
      outputFolderPath?: string;
    },
  ): void {
    const { kind, basespaceProjects = [], basespaceProjectIds, outputFolderId, outputFolderPath } = classification;
    this.state.classifications[analysisId] = {
      kind,
      basespaceProjects: [...basespaceProjects],
      ...(basespaceProjectIds !== undefined && Object.keys(basespaceProjectIds).length > 0 ? { basespaceProjectIds: { ...basespaceProjectIds } } : {}),
      ...(outputFolderId !== undefined ? { outputFolderId } : {}),
      ...(outputFolderPath !== undefined ? { outputFolderPath } : {}),
      classifiedAt: this.stamp(),
    };
  }

  /** Remembers the output folder's status (see knownOutputStatuses); a no-op for an unclassified analysis. */
  recordOutputStatus(analysisId: string, status: KnownOutputStatus): void {
    const classification = this.current.classifications[analysisId];
    if (!classification || classification.outputStatus?.status === status) return;
    this.touched = true;
    classification.outputStatus = { status, since: this.stamp() };
  }

  // ── ICA unarchive → delete ─────────────────────────────────────────────────────────────────

  /** Records that unarchiving `dataId` was requested; false if it already was (never ask twice). */
  requestIcaDelete(dataId: string, target: Omit<PendingIcaDelete, "unarchiveRequestedAt">): boolean {
    if (this.current.pendingIcaDeletes[dataId]) return false;
    this.state.pendingIcaDeletes[dataId] = { ...target, unarchiveRequestedAt: this.stamp() };
    return true;
  }

  clearIcaDelete(dataId: string): void {
    if (this.current.pendingIcaDeletes[dataId]) delete this.state.pendingIcaDeletes[dataId];
  }

  // ── BaseSpace restores and trash ───────────────────────────────────────────────────────────

  /** Records a restore request for a dataset or run; false if one is already pending. */
  recordBasespaceRestore(id: string, kind: BasespaceKind): boolean {
    if (this.current.basespaceRestores[id]) return false;
    this.state.basespaceRestores[id] = { kind, requestedAt: this.stamp() };
    return true;
  }

  clearBasespaceRestore(id: string): void {
    if (this.current.basespaceRestores[id]) delete this.state.basespaceRestores[id];
  }

  /** Recorded before the move is asked for, so pending until confirmTrashed (see trashedSchema). */
  recordTrashed(id: string, kind: BasespaceKind, name?: string): void {
    this.state.trashedByUs[id] = { kind, ...(name !== undefined ? { name } : {}), trashedAt: this.stamp(), pending: true };
  }

  /** The move took effect (answered, or the item was seen in the trash). */
  confirmTrashed(id: string): void {
    const entry = this.current.trashedByUs[id];
    if (entry?.pending) this.state.trashedByUs[id] = { kind: entry.kind, ...(entry.name !== undefined ? { name: entry.name } : {}), trashedAt: entry.trashedAt };
  }

  isTrashedByUs(id: string): boolean {
    return this.current.trashedByUs[id] !== undefined;
  }

  /** After the trash is emptied (or an item restored by hand), its ids are no longer ours to track. */
  forgetTrashed(ids: Iterable<string>): void {
    for (const id of ids) if (this.current.trashedByUs[id]) delete this.state.trashedByUs[id];
  }

  // ── people's decisions (see person-decision-schema.ts) ───────────────────────────────────

  /** Records what a person did; false when it is already on record (so it is reported once). */
  recordPersonDecision(id: string, decision: Omit<PersonDecision, "detectedAt">): boolean {
    if (this.current.personDecisions[id]) return false;
    this.state.personDecisions[id] = { ...decision, detectedAt: this.stamp() };
    if (decision.kind === "unarchived" && decision.analysisId !== undefined) {
      // Our record of having archived it is what showed the unarchive; it no longer holds.
      delete this.state.classifications[decision.analysisId]?.outputStatus;
    }
    return true;
  }

  /**
   * The operator lets the tool act on the item again; a moved folder is known by its new path from
   * now on. Returns the released decision, undefined when none is on record for `id`.
   */
  releasePersonDecision(id: string): PersonDecision | undefined {
    const decision = this.current.personDecisions[id];
    if (!decision) return undefined;
    delete this.state.personDecisions[id];
    const classification = decision.analysisId === undefined ? undefined : this.state.classifications[decision.analysisId];
    if (decision.kind === "moved" && classification && decision.name !== undefined) classification.outputFolderPath = decision.name;
    return decision;
  }

  // ── requeues of failed analyses ───────────────────────────────────────────────────────────

  /**
   * Records that attempt `attempt` of relaunching `originalId` is about to be sent, as `userReference`.
   * A no-op for an attempt already recorded (a resumed one keeps its first requestedAt).
   */
  recordRequeueAttempt(originalId: string, attempt: number, userReference: string): void {
    if (this.current.requeues[originalId]?.some((a) => a.attempt === attempt)) return;
    const attempts = (this.state.requeues[originalId] ??= []);
    attempts.push({ attempt, userReference, requestedAt: this.stamp() });
    attempts.sort((a, b) => a.attempt - b.attempt);
  }

  /** The analysis ICA created (or a listing showed) for a recorded attempt. */
  recordRequeueResult(originalId: string, attempt: number, analysisId: string): void {
    const entry = this.state.requeues[originalId]?.find((a) => a.attempt === attempt);
    if (!entry) throw new JournalError(`journal has no requeue attempt ${attempt} of analysis ${originalId}; call recordRequeueAttempt first`);
    entry.analysisId = analysisId;
  }

  // ── what earlier cycles saw ───────────────────────────────────────────────────────────────

  /** The protect entries that matched nothing this cycle (replacing the last cycle's). */
  setProtectUnmatched(entries: readonly string[]): void {
    const sorted = [...entries].sort();
    const known = this.current.protectUnmatchedWarned;
    if (sorted.length !== known.length || sorted.some((entry, n) => entry !== known[n])) this.state.protectUnmatchedWarned = sorted;
  }

  /** Remembers the id `key` (e.g. `bs-project:<name>`) resolved to. */
  rememberIdentity(key: string, id: string): void {
    if (this.current.identities[key] !== id) this.state.identities[key] = id;
  }
}

export const openJournal = (path: string, options?: JournalOptions): Promise<Journal> => Journal.open(path, options);
