import { readFile } from "node:fs/promises";
import type { z } from "zod";

/**
 * Reads one of the small JSON files a cycle keeps beside the journal (notification and warning logs):
 * its data, nothing when it does not exist, or what is wrong with it. Losing such a file only repeats
 * an alert or a log line, so the callers start afresh from a problem rather than stop.
 */
export async function readStateFile<T>(path: string, schema: z.ZodType<T>): Promise<{ data?: T; problem?: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? {} : { problem: `cannot be read (${code})` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's own message differs between Node versions and grows the line past its 200 characters;
    // what the operator needs is which file, and that it is started afresh.
    return { problem: "is not JSON" };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { data: parsed.data } : { problem: "has an unknown shape" };
}
