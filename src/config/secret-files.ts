import { readFile, stat } from "node:fs/promises";
import { ConfigError } from "./config-error.js";

export interface SecretFileContents {
  text: string;
  /** e.g. the file is readable by other users; worth saying, not worth stopping for. */
  warnings: string[];
}

/**
 * Reads a file holding a credential (`what` names it in messages, e.g. "API key file"). Missing,
 * a directory, or unreadable → ConfigError naming the file and the fix; any group/other permission
 * bits → a warning with the chmod that fixes it.
 */
export async function readPrivateFile(path: string, what: string): Promise<SecretFileContents> {
  let mode: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new ConfigError(`${what} ${path} is a directory: give the path of the file itself`);
    mode = info.mode;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`${what} ${path} does not exist: create it or correct the path`);
    throw new ConfigError(`${what} ${path} cannot be opened (${code}): check the path and its permissions`);
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${what} ${path} is not readable (${code}): make it readable by the user running ica-orchestrator (chown that user, then chmod 600 ${path})`,
    );
  }
  const warnings: string[] = [];
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    warnings.push(`${what} ${path} is accessible by other users (mode ${octal}): run chmod 600 ${path}`);
  }
  return { text: text.replace(/^\uFEFF/, ""), warnings };
}

/** The ICA API key file: one line holding the key; surrounding whitespace and CR/LF are dropped. */
export async function readApiKeyFile(path: string): Promise<{ apiKey: string; warnings: string[] }> {
  const what = "API key file";
  const { text, warnings } = await readPrivateFile(path, what);
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const [apiKey] = lines;
  if (apiKey === undefined) throw new ConfigError(`${what} ${path} is empty: put the ICA API key on its first line`);
  if (lines.length > 1) {
    throw new ConfigError(`${what} ${path} has ${lines.length} non-empty lines: keep only the ICA API key, on one line`);
  }
  return { apiKey, warnings };
}
