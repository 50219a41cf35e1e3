export { SecretRedactor } from "./redact.js";
export { createLogger, closeLogger } from "./logger.js";
export type { LoggerOptions } from "./logger.js";
export { ProgressBoard } from "./progress.js";
export type { ProgressOptions } from "./progress.js";
