import { ConfigError } from "../config/index.js";
import { AuthError, InvalidResponseError } from "../http/errors.js";
import { ProjectResolutionError } from "../modules/launch/index.js";

/**
 * Failures of a cycle's first calls that mean the configuration is wrong: they end the cycle, and the
 * CLI exits 2 for them. An unreadable answer there means the server URL names something other than
 * the API.
 */
export const cycleConfigurationErrors = [ConfigError, ProjectResolutionError, AuthError, InvalidResponseError] as const;
