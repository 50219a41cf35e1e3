import { appendFile, readFile, rm } from "node:fs/promises";
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

/**
 * The parts log: its first line is the identity, then one part number per line, appended as each part
 * is written. Appends are small and a killed process leaves at most a torn last line, which is
 * ignored: that part is fetched again. Returns the parts done, or none when the log is missing or
 * about another object.
 */
export async function readPartsDone(path: string, identity: FileIdentity): Promise<Set<number>> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const [head, ...lines] = text.split("\n");
  let parsed: FileIdentity | undefined;
  try {
    parsed = identitySchema.parse(JSON.parse(head ?? ""));
  } catch {
    return new Set();
  }
  if (!sameIdentity(parsed, identity)) return new Set();
  const parts = lines.slice(0, -1).filter((line) => /^\d+$/.test(line)).map(Number);
  return new Set(parts);
}

/** A new log for `identity`, with no part done. */
export async function startPartsLog(path: string, identity: FileIdentity): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(identity)}\n`);
}

/** Called after a part's bytes are written: a resume does not fetch it again. */
export async function recordPartDone(path: string, part: number): Promise<void> {
  await appendFile(path, `${part}\n`);
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
