export { SecretRedactor, REDACTED } from "./redact.js";
export { createLogger, closeLogger, logLevels, logFormats } from "./logger.js";
export type { LoggerOptions, LogLevel, LogFormat } from "./logger.js";
export { startProgress } from "./progress.js";
export type { Progress, ProgressOptions } from "./progress.js";
