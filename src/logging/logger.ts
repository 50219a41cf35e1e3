import winston from "winston";
import type { Writable } from "node:stream";
import type { SecretRedactor } from "./redact.js";
import { RotatingFileTransport } from "./rotating-file-transport.js";

export const logLevels = ["error", "warn", "info", "debug"] as const;
type LogLevel = (typeof logLevels)[number];
export const logFormats = ["text", "json"] as const;
type LogFormat = (typeof logFormats)[number];
/** Which lines the console gets besides the log file (`--log_console`). */
export const logConsoleModes = ["all", "warnings", "none"] as const;

/** winston's key for the rendered line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for("message");
/** winston's key for the level before colouring (triple-beam's LEVEL). */
const LEVEL = Symbol.for("level");

export interface LoggerOptions {
  redactor: SecretRedactor;
  level?: LogLevel;
  format?: LogFormat;
  /**
   * Console output; `false` for none. Colour defaults to whether the stream is a TTY; `level` (at most
   * the logger's) keeps the console quieter than the file.
   */
  console?: false | { stream?: Writable & { isTTY?: boolean }; colors?: boolean; level?: LogLevel };
  /** Size-rotated log file, normally `<state>/orchestrator.log`. */
  file?: { path: string; maxSizeBytes?: number; maxFiles?: number };
}

const fileDefaults = { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5 };

/**
 * Runs the redactor over every field of a log entry, including an Error passed as the entry itself
 * (whose message and stack are not enumerable), and returns a plain copy that keeps winston's
 * symbol-keyed fields.
 */
const redactEntry = (redactor: SecretRedactor): winston.Logform.Format =>
  winston.format((info) => {
    const out: winston.Logform.TransformableInfo = { level: info.level, message: undefined };
    for (const [key, value] of Object.entries(info)) out[key] = redactor.redactProperty(key, value);
    out.message = redactor.redactDeep(info.message);
    if (typeof info.stack === "string") out.stack = redactor.redact(info.stack);
    for (const symbol of Object.getOwnPropertySymbols(info)) {
      (out as Record<symbol, unknown>)[symbol] = (info as Record<symbol, unknown>)[symbol];
    }
    return out;
  })();

/** Last line of defence: whatever a renderer produced is scanned once more before it is written. */
const redactRendered = (redactor: SecretRedactor): winston.Logform.Format =>
  winston.format((info) => {
    const rendered = (info as Record<symbol, unknown>)[MESSAGE];
    if (typeof rendered === "string") (info as Record<symbol, unknown>)[MESSAGE] = redactor.redact(rendered);
    return info;
  })();

/**
 * Not printed as `key=value` on a text line: the prefix shows them (`[step]`), the cycle's first and
 * last lines do (`cycleId`, `pair`), or the message says how many and where the list is (`ids`).
 * JSON lines carry every one of them as a field.
 */
const hiddenFields = new Set(["level", "message", "timestamp", "scope", "step", "cycleId", "pair", "ids", "stack"]);

/**
 * A rendered line longer than this is cut: lists belong in the cycle report, not in the log.
 * @internal exported for the tests
 */
export const maxLineLength = 200;
/** However long the prefix and fields, a message keeps at least this much. */
const minMessageLength = 80;

/**
 * `message` cut to `budget` characters. A cut inside a comma-separated list says how many entries
 * were left out; any other cut says how many characters.
 * @internal exported for the tests
 */
export function fitMessage(message: string, budget: number): string {
  if (message.length <= budget) return message;
  const cutAt = (suffixLength: number) => Math.max(0, budget - suffixLength);
  const listCut = message.lastIndexOf(", ", cutAt(30));
  const more = listCut > 0 ? message.slice(listCut + 2).split(", ").length : 0;
  // One comma is prose ("…, see"); a list leaves at least two entries behind the cut.
  if (more >= 2) return `${message.slice(0, listCut)}, … (${more} more, see report)`;
  const rest = message.length - cutAt(26);
  return `${message.slice(0, cutAt(26))}… (${rest} more characters)`;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * `2025-06-01T10:00:00.000Z info [manageNew] linked 12 files analysisId=… batchId=…`, the message cut so
 * that the line stays within maxLineLength (a stack trace follows on its own lines).
 */
const textLine = winston.format.printf((info) => {
  const label = typeof info.step === "string" ? info.step : info.scope;
  const scope = typeof label === "string" ? ` [${label}]` : "";
  const message = typeof info.message === "string" ? info.message : formatValue(info.message);
  const fields = Object.entries(info)
    .filter(([key, value]) => !hiddenFields.has(key) && value !== undefined)
    .map(([key, value]) => ` ${key}=${formatValue(value)}`)
    .join("");
  const prefix = `${String(info.timestamp)} ${info.level}${scope} `;
  const budget = Math.max(minMessageLength, maxLineLength - prefix.length - fields.length);
  const stack = typeof info.stack === "string" ? `\n${info.stack}` : "";
  return `${prefix}${isError(info) ? message : fitMessage(message, budget)}${fields}${stack}`;
});

/**
 * Errors are never cut: one ends a command or fails an item, and must say everything needed to fix
 * it. They are few; the long lines were warnings and notices listing items.
 */
const isError = (info: winston.Logform.TransformableInfo): boolean => info[LEVEL] === "error";

/** JSON lines keep their fields whole (machines read them); only the message is cut. */
const fitJsonMessage = winston.format((info) => {
  if (typeof info.message === "string" && !isError(info)) info.message = fitMessage(info.message, maxLineLength);
  return info;
})();

function transportFormat(redactor: SecretRedactor, format: LogFormat, colors: boolean): winston.Logform.Format {
  const render =
    format === "json"
      ? winston.format.combine(fitJsonMessage, winston.format.json())
      : winston.format.combine(...(colors ? [winston.format.colorize({ level: true })] : []), textLine);
  return winston.format.combine(
    redactEntry(redactor),
    winston.format.timestamp(),
    render,
    redactRendered(redactor),
  );
}

/**
 * The one place loggers are built. Every transport gets the redacting format, so a secret can reach
 * neither the console nor the log file whatever the call site passes. Use `logger.child({ scope })`
 * for a fixed per-module prefix.
 */
export function createLogger(options: LoggerOptions): winston.Logger {
  const { redactor, level = "info", format = "text" } = options;
  const transports: winston.transport[] = [];
  if (options.console !== false) {
    const stream = options.console?.stream ?? process.stdout;
    const colors = options.console?.colors ?? (stream as { isTTY?: boolean }).isTTY === true;
    const consoleLevel = options.console?.level;
    transports.push(
      new winston.transports.Stream({ stream, format: transportFormat(redactor, format, colors), ...(consoleLevel ? { level: consoleLevel } : {}) }),
    );
  }
  if (options.file) {
    const { path, maxSizeBytes, maxFiles } = { ...fileDefaults, ...options.file };
    transports.push(
      new RotatingFileTransport({ path, maxSizeBytes, maxFiles, format: transportFormat(redactor, format, false) }),
    );
  }
  // Also at the logger level, so a transport added later with logger.add() still gets redacted entries.
  return winston.createLogger({ level, format: redactEntry(redactor), transports, exitOnError: false });
}

/** Ends the logger and resolves once every transport has written what it was given. */
export async function closeLogger(logger: winston.Logger): Promise<void> {
  const finished = logger.transports.map((t) => new Promise<void>((resolve) => t.once("finish", () => resolve())));
  logger.end();
  await Promise.all(finished);
}
