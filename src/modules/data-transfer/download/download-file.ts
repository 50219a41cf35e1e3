import { open, rename, stat, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { LimitFunction } from "p-limit";
import { parseChecksum, verifyChecksum, verifyPartDigests, type Verification } from "./checksum.js";
import type { IcaTempCredentials } from "../../../ica/schemas.js";
import { ObjectAccess } from "./object-access.js";
import { PartsLog, readPartsLog, readStamp, removeState, statePaths, writeStamp, type FileIdentity } from "./file-state.js";
import { CredentialsRefusedError, getRangeInto, TransientTransferError } from "./ranged-get-object.js";

/** A file to fetch: where it goes, what it must be, and how to get credentials for it. */
export interface FileTarget {
  fileName: string;
  dataId: string;
  size: number;
  /** As ICA gives it (objectETag): an MD5, a multipart ETag, or "" when there is none. */
  checksum: string;
  /** ICA's read-only temporary credentials for the file's object. */
  createCredentials: () => Promise<IcaTempCredentials>;
}

export interface TransferOptions {
  dest: string;
  /** The S3 endpoint (simulator, S3-compatible test store); AWS's regional one when absent. */
  s3Endpoint?: string;
  /** Bytes per ranged GET. */
  partSize: number;
  /**
   * A part in flight records its progress every this many bytes, so a kill costs a resume at most
   * this much per part in flight: the part size ÷ the concurrency keeps it under one part per file.
   */
  checkpointBytes: number;
  /** Shared by every file: how many ranged GETs are in flight at once. */
  gate: LimitFunction;
  signal: AbortSignal;
  /** Bytes done, as each part completes or is found done on disk (progress display). */
  onBytes: (bytes: number) => void;
  /** Tries of a part that fails transiently (reset, stall, 5xx, short body) before the file fails. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type FileOutcome =
  | { status: "present"; method: string }
  | { status: "verified"; method: string; fetchedBytes: number; credentialRefreshes: number; redownloaded?: string }
  | { status: "failed"; why: string; fetchedBytes: number };

const defaultAttempts = 5;
const backoffMs = (attempt: number): number => Math.min(8_000, 250 * 2 ** attempt);

/**
 * One manifest file into `<dest>/<name>`: kept when it is already there and verified; otherwise
 * fetched in ranged parts into `.ica-download/<name>.partial` (continuing from the parts a killed
 * run finished), verified against ICA's size and checksum, then renamed into place. A file that
 * fails verification is fetched once more from scratch, then reported.
 */
export async function downloadFile(target: FileTarget, options: TransferOptions): Promise<FileOutcome> {
  const final = join(options.dest, target.fileName);
  const paths = statePaths(options.dest, target.fileName);
  const present = await presentCheck(final, paths.stamp, target);
  if (present.ok) return { status: "present", method: present.method };

  const access = new ObjectAccess(target.createCredentials, options.s3Endpoint);
  let fetchedBytes = 0;
  const fetchAndVerify = async (): Promise<Verification> => {
    const fetched = await fetchParts(target, paths, access, options);
    fetchedBytes += fetched.bytes;
    return verifyAt(paths.partial, target, options.partSize, fetched.digests);
  };
  try {
    let verification = await fetchAndVerify();
    const firstFailure = verification.ok ? undefined : verification.why;
    if (!verification.ok) {
      await removeState([paths.partial, paths.parts]);
      verification = await fetchAndVerify();
    }
    if (!verification.ok) {
      await removeState([paths.partial, paths.parts]);
      return { status: "failed", why: `${verification.why} (downloaded twice; the first time: ${firstFailure ?? "?"})`, fetchedBytes };
    }
    await rename(paths.partial, final);
    const { mtimeMs } = await stat(final);
    await writeStamp(paths.stamp, { dataId: target.dataId, size: target.size, checksum: target.checksum, method: verification.method, mtimeMs });
    await removeState([paths.parts]);
    return {
      status: "verified",
      method: verification.method,
      fetchedBytes,
      credentialRefreshes: access.refreshes,
      ...(firstFailure !== undefined ? { redownloaded: firstFailure } : {}),
    };
  } catch (error) {
    if (options.signal.aborted) throw error;
    // Nothing to continue from (no credentials, an archived file): no empty placeholder is left behind.
    const onDisk = await readPartsLog(paths.parts, identityOf(target, options));
    if (fetchedBytes === 0 && onDisk.done.size === 0 && onDisk.begun.size === 0) {
      await removeState([paths.partial, paths.parts]);
    }
    return { status: "failed", why: error instanceof Error ? error.message : String(error), fetchedBytes };
  }
}

const identityOf = (target: FileTarget, options: TransferOptions): FileIdentity => ({
  dataId: target.dataId,
  size: target.size,
  checksum: target.checksum,
  partSize: options.partSize,
});

/** A file already at its place: verified earlier (unchanged since), or verified now. */
async function presentCheck(final: string, stampPath: string, target: FileTarget): Promise<Verification> {
  const info = await stat(final).catch(() => undefined);
  if (!info?.isFile() || info.size !== target.size) return { ok: false, why: "absent" };
  const stamp = await readStamp(stampPath);
  if (stamp && stamp.dataId === target.dataId && stamp.size === target.size && stamp.checksum === target.checksum && stamp.mtimeMs === info.mtimeMs) {
    return { ok: true, method: stamp.method };
  }
  const verification = await verifyChecksum(final, target.size, parseChecksum(target.checksum));
  if (verification.ok) {
    await writeStamp(stampPath, { dataId: target.dataId, size: target.size, checksum: target.checksum, method: verification.method, mtimeMs: info.mtimeMs });
  }
  return verification;
}

async function verifyAt(path: string, target: FileTarget, partSize: number, digests: readonly (Buffer | undefined)[]): Promise<Verification> {
  const { size } = await stat(path);
  if (size !== target.size) return { ok: false, why: `${size} bytes on disk, ICA lists ${target.size}` };
  const expected = parseChecksum(target.checksum);
  return verifyPartDigests(target.size, partSize, digests, expected) ?? verifyChecksum(path, target.size, expected);
}

/**
 * Fetches what is not on disk yet into the partial file: the parts not begun, and the rest of those a
 * killed run had begun (from their last checkpoint). Resolves to the bytes fetched and the MD5 of each
 * part fetched whole (none for the parts an earlier run wrote, wholly or in part).
 */
async function fetchParts(
  target: FileTarget,
  paths: ReturnType<typeof statePaths>,
  access: ObjectAccess,
  options: TransferOptions,
): Promise<{ bytes: number; digests: (Buffer | undefined)[] }> {
  const identity = identityOf(target, options);
  const partialExists = await stat(paths.partial).then((info) => info.size === target.size, () => false);
  const onDisk = partialExists ? await readPartsLog(paths.parts, identity) : { done: new Set<number>(), begun: new Map<number, number>() };
  const fresh = onDisk.done.size === 0 && onDisk.begun.size === 0;
  const log = await PartsLog.open(paths.parts, identity, fresh);
  const partLength = (part: number) => Math.min(options.partSize, target.size - part * options.partSize);
  // What a killed run wrote counts as done, for the progress display.
  for (const part of onDisk.done) options.onBytes(partLength(part));
  for (const bytes of onDisk.begun.values()) options.onBytes(bytes);
  let handle: FileHandle | undefined;
  // One failed part stops the file's other parts: the file is reported, nothing more is fetched for it.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let fetched = 0;
  const count = Math.max(1, Math.ceil(target.size / options.partSize));
  const digests = new Array<Buffer | undefined>(count).fill(undefined);
  try {
    handle = await open(paths.partial, fresh ? "w" : "r+");
    await handle.truncate(target.size);
    const file = handle;
    const todo = Array.from({ length: count }, (_, part) => part).filter((part) => !onDisk.done.has(part));
    const fetchOne = async (part: number): Promise<void> => {
      signal.throwIfAborted();
      const partStart = part * options.partSize;
      const already = onDisk.begun.get(part) ?? 0;
      const end = partStart + partLength(part) - 1;
      // Checkpoints as the part streams in: a kill loses at most the bytes since the last one.
      let checkpoint = already;
      const onWritten = (written: number) => {
        if (already + written - checkpoint < options.checkpointBytes) return;
        checkpoint = already + written;
        log.begun(part, checkpoint);
      };
      const digest = await fetchRange(access, { start: partStart + already, end, total: target.size }, file, signal, onWritten, options);
      // The MD5 of a part continued from a checkpoint covers only its rest: the file is read back to verify it.
      digests[part] = already === 0 ? digest : undefined;
      log.done(part);
      fetched += end - partStart - already + 1;
      options.onBytes(end - partStart - already + 1);
    };
    const parts = todo.map((part) => options.gate(() => fetchOne(part)));
    try {
      await Promise.all(parts);
    } catch (error) {
      stop.abort(error);
      await Promise.allSettled(parts);
      throw error;
    }
  } finally {
    await handle?.close();
    log.close();
  }
  return { bytes: fetched, digests };
}

/** One part, tried again after transient failures and with new credentials after a refusal. */
async function fetchRange(
  access: ObjectAccess,
  range: { start: number; end: number; total: number },
  handle: FileHandle,
  signal: AbortSignal,
  onWritten: (bytes: number) => void,
  options: TransferOptions,
): Promise<Buffer> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, { signal }));
  let failures = 0;
  for (;;) {
    signal.throwIfAborted();
    const current = await access.current();
    try {
      const digest = await getRangeInto(current, range, handle, signal, onWritten);
      access.progressed();
      return digest;
    } catch (error) {
      if (error instanceof CredentialsRefusedError) {
        await access.refresh(current, error);
        continue;
      }
      failures += 1;
      if (!(error instanceof TransientTransferError) || failures >= (options.attempts ?? defaultAttempts)) throw error;
      await sleep(backoffMs(failures));
    }
  }
}
