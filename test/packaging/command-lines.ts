import { PassThrough } from "node:stream";
import { createProgram } from "../../src/cli/program.js";
import { SecretRedactor } from "../../src/logging/index.js";

/** Splits a shell command line into words: single and double quotes, backslash-newline continuations. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.replace(/\\\n/g, " ").matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
}

/**
 * Parses `argv` with the real program, every command's action replaced by a no-op: an unknown command
 * or option, a missing value or an extra argument throws commander's error (with its message).
 */
export async function parseWithCli(argv: readonly string[]): Promise<string> {
  const sink = new PassThrough();
  let errors = "";
  const context = {
    env: {},
    homeDir: "/nonexistent",
    cwd: "/",
    stdout: sink,
    stderr: sink,
    onShutdown: () => () => undefined,
  };
  const program = createProgram({ context, redactor: new SecretRedactor(), setExitCode: () => undefined });
  program.configureOutput({ writeErr: (text) => (errors += text), writeOut: () => undefined });
  const chosen: string[] = [];
  for (const command of program.commands) {
    command.configureOutput({ writeErr: (text) => (errors += text), writeOut: () => undefined });
    command.action(() => void chosen.push(command.name()));
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    throw new Error(`${argv.join(" ")}: ${errors.trim() || String(error)}`);
  }
  return chosen[0] ?? "";
}
