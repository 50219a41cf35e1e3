import winston from "winston";
import type { Writable } from "node:stream";
import type { SecretRedactor } from "./redact.js";
import { RotatingFileTransport } from "./rotating-file-transport.js";

export const logLevels = ["error", "warn", "info", "debug"] as const;
type LogLevel = (typeof logLevels)[number];
export const logFormats = ["text", "json"] as const;
type LogFormat = (typeof logFormats)[number];

/** winston's key for the rendered line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for("message");

export interface LoggerOptions {
  redactor: SecretRedactor;
  level?: LogLevel;
  format?: LogFormat;
  /** Console output; `false` for none. Colour defaults to whether the stream is a TTY. */
  console?: false | { stream?: Writable & { isTTY?: boolean }; colors?: boolean };
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

const hiddenFields = new Set(["level", "message", "timestamp", "scope", "stack"]);

function formatValue(value: unknown): string {
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** `2025-06-01T10:00:00.000Z info [manageNew] linked 12 files analysisId=… batchId=…` */
const textLine = winston.format.printf((info) => {
  const scope = typeof info.scope === "string" ? ` [${info.scope}]` : "";
  const message = typeof info.message === "string" ? info.message : formatValue(info.message);
  const fields = Object.entries(info)
    .filter(([key, value]) => !hiddenFields.has(key) && value !== undefined)
    .map(([key, value]) => ` ${key}=${formatValue(value)}`)
    .join("");
  const stack = typeof info.stack === "string" ? `\n${info.stack}` : "";
  return `${String(info.timestamp)} ${info.level}${scope} ${message}${fields}${stack}`;
});

function transportFormat(redactor: SecretRedactor, format: LogFormat, colors: boolean): winston.Logform.Format {
  const render =
    format === "json"
      ? winston.format.json()
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
    transports.push(new winston.transports.Stream({ stream, format: transportFormat(redactor, format, colors) }));
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
