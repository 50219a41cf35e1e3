import type { Logger } from "winston";
import { loadLocalSettings, type FlagInput, type LocalSettings } from "../config/index.js";
import { closeLogger, createLogger, type LoggerOptions, type SecretRedactor } from "../logging/index.js";
import { ensureStateDir } from "../state/index.js";
import type { CliContext } from "./cli-context.js";

export interface CliLogging {
  logger: Logger;
  /** The credential-free settings, one per pair; what they share (log, state, metrics) is the first's. */
  local: LocalSettings[];
  /** `<state>/orchestrator.log`, unless every cycle is a dry run. */
  logFile?: string;
  /**
   * Logs a message the first time this process sees it: `watch` reloads the settings for every cycle,
   * and their notices (an environment variable overriding the config file) are worth saying once.
   */
  logOnce(level: "warn" | "debug", message: string): void;
  close(): Promise<void>;
}

/**
 * What stderr gets (`--log_console`): a scheduler that keeps stderr in a file of its own (cron's
 * wrapper) would otherwise hold a second copy of orchestrator.log. Without a log file (a dry run)
 * the console is the only log, so it gets everything whatever the setting.
 */
function consoleOf(context: CliContext, mode: LocalSettings["logConsole"], hasFile: boolean): LoggerOptions["console"] {
  if (!hasFile || mode === "all") return { stream: context.stderr };
  return mode === "warnings" ? { stream: context.stderr, level: "warn" } : false;
}

/**
 * Opens the logger of a command that runs cycles, before any secret is read: log level, format, the
 * state directory and whether this is a dry run come from the credential-free settings, so a broken
 * key file is reported through it. Console lines go to stderr (colour only on a TTY; which ones:
 * `--log_console`) and stdout keeps the results; `<state>/orchestrator.log` (size-rotated) gets them too, except in a dry run, which
 * leaves the state directory as it found it. Every transport redacts.
 */
export async function openLogging(context: CliContext, flags: FlagInput, redactor: SecretRedactor): Promise<CliLogging> {
  const local = await loadLocalSettings({ flags, env: context.env, homeDir: context.homeDir, cwd: context.cwd });
  // Pairs share the top-level state_dir and log options; the first pair's are everyone's.
  const { stateDir, logLevel, logFormat, logConsole } = local[0] as LocalSettings;
  const logFile = local.every((pair) => pair.dryRun) ? undefined : (await ensureStateDir(stateDir)).log;
  const logger = createLogger({
    redactor,
    level: logLevel,
    format: logFormat,
    console: consoleOf(context, logConsole, logFile !== undefined),
    ...(logFile !== undefined ? { file: { path: logFile } } : {}),
  });
  const logged = new Set<string>();
  const logOnce = (level: "warn" | "debug", message: string): void => {
    if (logged.has(message)) return;
    logged.add(message);
    logger.log(level, message);
  };
  return { logger, local, ...(logFile !== undefined ? { logFile } : {}), logOnce, close: () => closeLogger(logger) };
}
