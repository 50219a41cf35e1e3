import { open, readFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { appendFenced, syncDirectory, type Fence } from "./fenced-write.js";
import { z } from "zod";
import type { SecretRedactor } from "../logging/redact.js";

const auditEntrySchema = z.strictObject({
  time: z.iso.datetime(),
  cycleId: z.string().min(1),
  action: z.string().min(1),
  targets: z.strictObject({ ids: z.array(z.string()), paths: z.array(z.string()).optional() }),
  /** `intent` is written (and fsynced) before an irreversible or billed call, its outcome after it. */
  result: z.enum(["intent", "ok", "failed", "skipped"]),
  message: z.string().optional(),
  dryRun: z.boolean().optional(),
});
type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditRecord = Omit<AuditEntry, "time" | "cycleId">;

export interface AuditLogOptions {
  cycleId: string;
  now?: () => Date;
  /** Messages may quote API errors; run them through the redactor before they are kept for good. */
  redactor?: SecretRedactor;
  /** Throws when this cycle may no longer write into the state (the lock's fencing check). */
  fence?: Fence;
  /** Told when a torn last line (a crash mid-append) was set aside into `<path>.torn`. */
  onTornLine?: (message: string) => void;
}

const tornChunk = 65_536;

/** Where the last line starts when the file does not end in a newline; undefined when it does (or is empty). */
async function tornLineStart(handle: FileHandle, size: number): Promise<number | undefined> {
  const last = Buffer.alloc(1);
  if (size === 0) return undefined;
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return undefined;
  for (let end = size; end > 0; end -= tornChunk) {
    const start = Math.max(0, end - tornChunk);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    const newline = chunk.lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
  }
  return 0;
}

/**
 * `audit.jsonl`: one JSON line per mutating call, appended and never rewritten. Each append is one
 * write followed by fsync, because the calls it records (deletes, trash) cannot be undone and the
 * record must survive a crash right after them; appends are queued so lines never interleave.
 * A torn last line (a crash or a full disk mid-write) is moved to `<path>.torn` before the first
 * append of a cycle and after any failed one, so it never glues onto the next record.
 */
export class AuditLog {
  private tail: Promise<void> = Promise.resolve();
  private directorySynced = false;
  private tailChecked = false;

  constructor(
    readonly path: string,
    private readonly options: AuditLogOptions,
  ) {}

  private readonly fence: Fence = () => this.options.fence?.();

  async append(record: AuditRecord): Promise<void> {
    const { redactor, cycleId, now = () => new Date() } = this.options;
    const entry: AuditEntry = auditEntrySchema.parse({
      time: now().toISOString(),
      cycleId,
      ...record,
      ...(record.message !== undefined && redactor ? { message: redactor.redact(record.message) } : {}),
    });
    const run = this.tail.then(() => this.write(`${JSON.stringify(entry)}\n`));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(line: string): Promise<void> {
    if (!this.tailChecked) {
      await this.setAsideTornLine();
      this.tailChecked = true;
    }
    // A write that fails may have left part of the line behind: the tail is checked again before the next.
    this.tailChecked = false;
    await appendFenced(this.path, Buffer.from(line), this.fence, 0o640);
    this.tailChecked = true;
    // The first append may have created the file: make its directory entry durable too.
    if (!this.directorySynced) {
      await syncDirectory(dirname(this.path));
      this.directorySynced = true;
    }
  }

  private async setAsideTornLine(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, "r+");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const start = await tornLineStart(handle, size);
      if (start === undefined) return;
      const torn = Buffer.alloc(size - start);
      await handle.read(torn, 0, torn.length, start);
      // Kept, not dropped: it may be the only record of a call made just before a crash.
      await appendFenced(`${this.path}.torn`, Buffer.concat([torn, Buffer.from("\n")]), this.fence, 0o640);
      await handle.truncate(start);
      await handle.sync();
      this.options.onTornLine?.(`${this.path}: a torn last line (${torn.length} bytes) was moved to ${this.path}.torn`);
    } finally {
      await handle.close();
    }
  }
}

/** @internal exported for the tests */
export interface AuditLogContents {
  entries: AuditEntry[];
  /** Line numbers that are not a valid entry (e.g. a line torn by a crash mid-write). */
  invalidLines: number[];
}

/** @internal exported for the tests */
export async function readAuditLog(path: string): Promise<AuditLogContents> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], invalidLines: [] };
    throw error;
  }
  const contents: AuditLogContents = { entries: [], invalidLines: [] };
  for (const [index, line] of text.split("\n").entries()) {
    if (line === "") continue;
    try {
      contents.entries.push(auditEntrySchema.parse(JSON.parse(line)));
    } catch {
      contents.invalidLines.push(index + 1);
    }
  }
  return contents;
}
