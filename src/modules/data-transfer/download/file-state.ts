import { closeSync, openSync, writeSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";

/** Beside the downloaded files: partial data, the parts done, and what was verified. */
export const stateFolderName = ".ica-download";

/** What a partial download or a verification is about: another object under the same name starts over. */
const identitySchema = z.strictObject({
  dataId: z.string(),
  size: z.number().int().nonnegative(),
  checksum: z.string(),
  partSize: z.number().int().positive(),
});
export type FileIdentity = z.infer<typeof identitySchema>;

const stampSchema = z.strictObject({
  dataId: z.string(),
  size: z.number().int().nonnegative(),
  checksum: z.string(),
  method: z.string(),
  /** The file's mtime when it was verified: a file changed since is verified again. */
  mtimeMs: z.number(),
});
export type VerifiedStamp = z.infer<typeof stampSchema>;

/** Where one file's state lives under `<dest>/.ica-download/`. */
export function statePaths(dest: string, fileName: string): { partial: string; parts: string; stamp: string } {
  const base = join(dest, stateFolderName, fileName);
  return { partial: `${base}.partial`, parts: `${base}.parts`, stamp: `${base}.verified.json` };
}

const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.dataId === b.dataId && a.size === b.size && a.checksum === b.checksum && a.partSize === b.partSize;

/** What the parts log says is on disk: parts whole, and how far each part begun but unfinished got. */
export interface PartsOnDisk {
  done: Set<number>;
  /** Part → bytes from its start written (a part in flight at a kill); never a part in `done`. */
  begun: Map<number, number>;
}

const noParts = (): PartsOnDisk => ({ done: new Set(), begun: new Map() });

/**
 * The parts log: its first line is the identity, then one line per event, appended as it happens:
 * `<part>` once a part is whole on disk, `<part> <bytes>` when its first `bytes` bytes are (a
 * checkpoint of a part in flight). Appends are small and a killed process leaves at most a torn last
 * line, which is ignored: that part continues from its checkpoint before. Returns nothing done when
 * the log is missing or about another object.
 */
export async function readPartsLog(path: string, identity: FileIdentity): Promise<PartsOnDisk> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const [head, ...lines] = text.split("\n");
  let parsed: FileIdentity | undefined;
  try {
    parsed = identitySchema.parse(JSON.parse(head ?? ""));
  } catch {
    return noParts();
  }
  if (!sameIdentity(parsed, identity)) return noParts();
  const parts = noParts();
  for (const line of lines.slice(0, -1)) {
    const match = /^(\d+)(?: (\d+))?$/.exec(line);
    if (!match) continue;
    const part = Number(match[1]);
    if (match[2] === undefined) parts.done.add(part);
    else parts.begun.set(part, Math.max(parts.begun.get(part) ?? 0, Number(match[2])));
  }
  for (const part of parts.done) parts.begun.delete(part);
  return parts;
}

/**
 * One file's parts log, open for appending while its parts are fetched. Lines are appended with
 * synchronous writes: a few bytes into the page cache cost microseconds, where an asynchronous write
 * (a hop to libuv's thread pool and back) cost ~0.4 ms of the main thread on a busy machine, for every
 * checkpoint. Not fsync'd: a SIGKILL loses nothing the kernel already took, and after a power cut a
 * line ahead of its bytes only makes the verification fail, which fetches the file again.
 */
export class PartsLog {
  private constructor(private readonly fd: number) {}

  /** The log at `path`, started afresh for `identity` when `fresh`, else continued. */
  static async open(path: string, identity: FileIdentity, fresh: boolean): Promise<PartsLog> {
    if (fresh) await writeFileAtomic(path, `${JSON.stringify(identity)}\n`);
    return new PartsLog(openSync(path, "a"));
  }

  /** The first `bytes` bytes of `part` are written: a resume continues the part from there. */
  begun(part: number, bytes: number): void {
    writeSync(this.fd, `${part} ${bytes}\n`);
  }

  /** Every byte of `part` is written: a resume does not fetch it again. */
  done(part: number): void {
    writeSync(this.fd, `${part}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export async function readStamp(path: string): Promise<VerifiedStamp | undefined> {
  try {
    return stampSchema.parse(JSON.parse(await readFile(path, "utf8")));
  } catch {
    return undefined;
  }
}

export async function writeStamp(path: string, stamp: VerifiedStamp): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(stamp)}\n`);
}

export async function removeState(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
