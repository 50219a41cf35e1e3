import { randomInt } from "node:crypto";
import { renameSync, writeSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Throws when this cycle may no longer write into the state (the lock's fencing check). */
export type Fence = () => void;

/**
 * The fencing check and the write it guards run in one synchronous stretch, with no await between
 * them: a cycle paused (SIGSTOP, a frozen VM) while a write was under way cannot wake up after a
 * takeover and finish that write over the newer cycle's state. Everything slow (writing a temporary
 * file, fsync) happens before the check or after the write, never between.
 */

/** fsync of a directory: makes a created or renamed entry in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` atomically: a temporary file beside it (`<name>.<digits>`, the names
 * removeStaleTempFiles clears after a crash), fsynced, then the check and the rename. The text may come
 * in pieces (json-pieces.ts), written one after the other (and taken from an iterator as they are
 * written), so that no buffer of the whole is made.
 */
export async function writeFileFenced(path: string, text: string | Iterable<string>, fence: Fence): Promise<void> {
  const temp = `${path}.${randomInt(1, 2 ** 32)}`;
  try {
    const handle = await open(temp, "w", 0o644);
    try {
      for (const piece of typeof text === "string" ? [text] : text) await handle.writeFile(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    fence();
    renameSync(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Appends `data` with one write, fsynced; the check runs right before the write. */
export async function appendFenced(path: string, data: Buffer, fence: Fence, mode: number): Promise<void> {
  const handle = await open(path, "a", mode);
  try {
    fence();
    writeSync(handle.fd, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
