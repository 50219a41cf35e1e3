import os from "node:os";
import { basespaceConfigPath, readBasespaceTokenFile } from "../../config/illumina-cli-files.js";
import { ConfigError } from "../../config/config-error.js";

/** `bs auth` authenticates against USE1 unless told otherwise (notes §3). */
export const defaultApiServer = "https://api.basespace.illumina.com";

export interface BsConfig {
  apiServer: string;
  accessToken: string;
  /** E.g. the file is readable by other users. */
  warnings: string[];
}

/**
 * Reads the `bs` CLI config (`~/.basespace/default.cfg` unless told otherwise) with the config layer's
 * parser (ini: padded `key = value` lines, comments skipped), requiring `accessToken` and defaulting
 * `apiServer` to USE1. Errors name the file and the fix, never the token.
 */
export async function readBsConfig(file: string = basespaceConfigPath(os.homedir())): Promise<BsConfig> {
  const config = await readBasespaceTokenFile(file);
  const apiServer = (config.apiServer ?? defaultApiServer).replace(/\/+$/, "");
  if (!URL.canParse(apiServer) || !/^https?:$/.test(new URL(apiServer).protocol)) {
    throw new ConfigError(`BaseSpace config ${file}: apiServer "${apiServer}" is not an http(s) URL; run \`bs auth --api-server <url>\` to rewrite it`);
  }
  return { apiServer, accessToken: config.accessToken, warnings: config.warnings };
}
