import { createHash } from "node:crypto";
import writeFileAtomic from "write-file-atomic";
import { ConflictError } from "../../../http/errors.js";
import type { IcaData } from "../../../ica/schemas.js";
import { createFileAtPath, uploadViaPresignedUrl } from "../../../modules/data-transfer/index.js";
import { findData } from "../../../modules/outputs/index.js";
import { manifestPath } from "../../../state/index.js";
import type { ActionLog } from "../../action-log.js";
import type { CycleContext } from "../../cycle-context.js";
import { noteContradiction } from "../../contradictions.js";
import type { StepRecorder } from "../../step-recorder.js";
import { MANIFEST_FOLDER, icaManifestPath, manifestFileName } from "../../plan/manifest.js";
import type { Candidate } from "./candidates.js";

/**
 * The same manifest path and the same rows give the same key, so a create replayed after a lost answer
 * (or by a cycle resuming a killed one, within ICA's 7-day memory of keys) returns the first file
 * instead of failing or making a second one. The path, not the run: a redelivery with the same rows
 * must create its own file, not be answered with the original manifest.
 */
function manifestIdempotencyKey(path: string, csv: string): string {
  return `manifest-${createHash("sha256").update(path).update("\u0000").update(csv).digest("hex").slice(0, 48)}`;
}

/**
 * Writes `<run>.download_manifest.csv` (`<run>.redelivery-<n>.…` for a redelivery) to the state directory and makes sure the destination holds
 * it complete under /fastq_manifests/ (read back as AVAILABLE after the upload): created once (Idempotency-Key; a 409 finds the file already
 * there), uploaded while PARTIAL (an upload that died is simply done again), and never created twice.
 * The journal keeps the file's id as soon as it exists, and `uploaded` once the bytes are in. Both answers
 * are evidence for the ledger: how ICA answered a create onto an existing file (`ica.duplicate-path`), and
 * what our own upload reads back as (`ica.upload-available`).
 */
export async function ensureManifest(
  ctx: CycleContext,
  actions: ActionLog,
  destinationId: string,
  candidate: Candidate,
  rec: StepRecorder,
): Promise<void> {
  const { analysis, manifestCsv: csv, manifestName: name } = candidate;
  await writeFileAtomic(manifestPath(ctx.paths, name.runId, name.redelivery), csv);
  const known = ctx.journal.data.managing[analysis.id]?.manifest;
  if (known?.status === "uploaded") return;

  const bytes = Buffer.from(csv);
  const path = icaManifestPath(name.runId, name.redelivery);
  // Undefined when it was deleted since: it is created again.
  let file = known ? await findData(ctx.ica, destinationId, known.dataId) : undefined;
  if (!file) {
    const created = await actions.perform("manageNew", { action: "create-manifest", ids: [analysis.id], paths: [path] }, () =>
      createFileAtPath(
        ctx.ica,
        destinationId,
        { folderPath: MANIFEST_FOLDER, name: manifestFileName(name.runId, name.redelivery) },
        { idempotencyKey: manifestIdempotencyKey(path, csv) },
      ),
    );
    file = created.file;
    if (created.existingAnswered !== undefined) learnFromDuplicateCreate(ctx, rec, path, created.existingAnswered);
    ctx.journal.recordManifest(analysis.id, { dataId: file.id, status: "created" });
    await ctx.journalWriter.save();
  }
  if (file.status === "PARTIAL") file = await upload(ctx, actions, destinationId, file, bytes, rec);
  if (file.status !== "AVAILABLE") {
    throw new Error(`manifest ${path} is ${file.status}, not AVAILABLE; the next cycle looks again`);
  }
  if (file.sizeBytes !== null && file.sizeBytes !== bytes.length) {
    throw new Error(
      `manifest ${path} already exists with other content (${file.sizeBytes} bytes; this cycle's has ${bytes.length}): delete it in ICA and the next cycle uploads the current one`,
    );
  }
  ctx.journal.recordManifest(analysis.id, { dataId: file.id, status: "uploaded" });
  await ctx.journalWriter.save();
}

async function upload(
  ctx: CycleContext,
  actions: ActionLog,
  destinationId: string,
  file: IcaData,
  bytes: Buffer,
  rec: StepRecorder,
): Promise<IcaData> {
  let put = false;
  try {
    await actions.perform("manageNew", { action: "upload-manifest", ids: [file.id], paths: [file.path] }, () =>
      uploadViaPresignedUrl(ctx.ica, destinationId, file.id, bytes, "text/csv"),
    );
    put = true;
  } catch (error) {
    // A create replayed from ICA's idempotency memory reports the file as it was then (PARTIAL);
    // if it has been uploaded since, ICA refuses a new upload URL — read what is there instead.
    if (!(error instanceof ConflictError)) throw error;
  }
  // Read back, never assumed: S3 can answer 200 while ICA keeps the file PARTIAL, and a manifest
  // the recipient cannot download is not a delivery.
  const readBack = await ctx.ica.getData(destinationId, file.id);
  if (put) learnFromReadBack(ctx, rec, readBack);
  return readBack;
}

/** ICA answered a create onto an existing file: 409 is what the ledger expects, a 400 contradicts it. */
function learnFromDuplicateCreate(ctx: CycleContext, rec: StepRecorder, path: string, answered: 400 | 409): void {
  const evidence = `creating ${path}, where a listing shows a file, answered ${answered}`;
  if (answered === 409) ctx.ledger.confirm("ica.duplicate-path", evidence, ctx.now);
  else noteContradiction(ctx, rec, { assumption: "ica.duplicate-path", evidence });
}

/** Our own upload's PUT returned: the file read right after it says whether ICA made it AVAILABLE then. */
function learnFromReadBack(ctx: CycleContext, rec: StepRecorder, file: IcaData): void {
  const evidence = `${file.path} read ${file.status} right after its upload's PUT returned`;
  if (file.status === "AVAILABLE") ctx.ledger.confirm("ica.upload-available", evidence, ctx.now);
  else noteContradiction(ctx, rec, { assumption: "ica.upload-available", evidence });
}
