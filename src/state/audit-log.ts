import { open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { SecretRedactor } from "../logging/redact.js";

export const auditEntrySchema = z.strictObject({
  time: z.iso.datetime(),
  cycleId: z.string().min(1),
  action: z.string().min(1),
  targets: z.strictObject({ ids: z.array(z.string()), paths: z.array(z.string()).optional() }),
  result: z.enum(["ok", "failed", "skipped"]),
  message: z.string().optional(),
  dryRun: z.boolean().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditRecord = Omit<AuditEntry, "time" | "cycleId">;

export interface AuditLogOptions {
  cycleId: string;
  now?: () => Date;
  /** Messages may quote API errors; run them through the redactor before they are kept for good. */
  redactor?: SecretRedactor;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `audit.jsonl`: one JSON line per mutating call, appended and never rewritten. Each append is one
 * write followed by fsync, because the calls it records (deletes, trash) cannot be undone and the
 * record must survive a crash right after them; appends are queued so lines never interleave.
 */
export class AuditLog {
  private tail: Promise<void> = Promise.resolve();
  private directorySynced = false;

  constructor(
    readonly path: string,
    private readonly options: AuditLogOptions,
  ) {}

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
    const handle = await open(this.path, "a", 0o640);
    try {
      await handle.write(line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The first append may have created the file: make its directory entry durable too.
    if (!this.directorySynced) {
      await fsyncPath(dirname(this.path));
      this.directorySynced = true;
    }
  }
}

export interface AuditLogContents {
  entries: AuditEntry[];
  /** Line numbers that are not a valid entry (e.g. a line torn by a crash mid-write). */
  invalidLines: number[];
}

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
