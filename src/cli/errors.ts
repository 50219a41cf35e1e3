import { CommanderError } from "commander";
import { MetricsServeError } from "../metrics/index.js";
import { DownloadInputError } from "../modules/data-transfer/index.js";
import { cycleConfigurationErrors } from "../orchestrator/index.js";
import { FixtureError } from "../simulator/fixtures/resolve.js";
import { LockHeldError, ManagedTableError, StateDirError } from "../state/index.js";

/** 0 success (also a cycle skipped because another holds the lock), 1 finished with failures, 2 usage or configuration. */
export const exitCodes = { ok: 0, failures: 1, usage: 2 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * Errors that mean "what you asked for or configured is wrong": fixing them needs a person, and
 * retrying the same command cannot help. A rejected key, an unknown project, a server URL that answers
 * something other than the API, or a metrics port in use is configuration too. (A cycle records the
 * failures of its later calls in its report; only those of its first calls are thrown this far.)
 */
const configurationErrors = [
  ...cycleConfigurationErrors,
  StateDirError,
  ManagedTableError,
  FixtureError,
  MetricsServeError,
  DownloadInputError,
] as const;

export interface ErrorOutcome {
  code: ExitCode;
  /** One line for stderr, or undefined when commander has already printed its own. */
  message?: string;
}

/** Errors a command has already logged (console and log file): they still set the exit code, once. */
const reported = new WeakSet<object>();

export function markReported(error: unknown): void {
  if (typeof error === "object" && error !== null) reported.add(error);
}

/** The one place an error thrown out of a command becomes an exit code and a message. */
export function errorOutcome(error: unknown): ErrorOutcome {
  if (error instanceof CommanderError) {
    // --help and --version end with exit code 0; commander has printed usage errors itself.
    return { code: error.exitCode === 0 ? exitCodes.ok : exitCodes.usage };
  }
  const code = error instanceof LockHeldError
    ? exitCodes.ok
    : configurationErrors.some((kind) => error instanceof kind)
      ? exitCodes.usage
      : exitCodes.failures;
  if (typeof error === "object" && error !== null && reported.has(error)) return { code };
  return { code, message: error instanceof Error ? error.message : String(error) };
}
