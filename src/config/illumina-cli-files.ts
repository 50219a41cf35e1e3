import { access } from "node:fs/promises";
import { join } from "node:path";
import ini from "ini";
import { ConfigError } from "./config-error.js";
import { readPrivateFile } from "./secret-files.js";

export interface BasespaceCliConfig {
  path: string;
  apiServer?: string;
  accessToken?: string;
  warnings: string[];
}

export interface Icav2CliConfig {
  path: string;
  apiKey?: string;
  /** As icav2 stores it: often a bare host such as `ica.illumina.com`. */
  serverUrl?: string;
  warnings: string[];
}

export function basespaceConfigPath(homeDir: string): string {
  return join(homeDir, ".basespace", "default.cfg");
}

export function icav2ConfigPath(homeDir: string): string {
  return join(homeDir, ".icav2", "config.yaml");
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * A `bs` config file (`apiServer   = https://…`, `accessToken = …`, keys padded so the `=` line up).
 * `ini` splits on the first `=` and trims, which also copes with tabs (the original tool's split on
 * single spaces does not).
 */
export async function readBasespaceConfig(path: string, what = "BaseSpace config file"): Promise<BasespaceCliConfig> {
  const { text, warnings } = await readPrivateFile(path, what);
  const entries = ini.parse(text) as Record<string, unknown>;
  const apiServer = nonEmptyString(entries.apiServer);
  const accessToken = nonEmptyString(entries.accessToken);
  return {
    path,
    warnings,
    ...(apiServer !== undefined ? { apiServer } : {}),
    ...(accessToken !== undefined ? { accessToken } : {}),
  };
}

/** The file given with --basespace_access_token_file: same format, and the token is required. */
export async function readBasespaceTokenFile(path: string): Promise<BasespaceCliConfig & { accessToken: string }> {
  const config = await readBasespaceConfig(path, "BaseSpace token file");
  if (config.accessToken === undefined) {
    throw new ConfigError(
      `BaseSpace token file ${path} has no accessToken entry: point to the file "bs auth" writes (~/.basespace/default.cfg)`,
    );
  }
  return { ...config, accessToken: config.accessToken };
}

/** `~/.icav2/config.yaml` as the icav2 CLI writes it (`x-api-key`, `server-url`). */
export async function readIcav2Config(path: string): Promise<Icav2CliConfig> {
  const { text, warnings } = await readPrivateFile(path, "icav2 config file");
  // Loaded here, not with the module: most deployments have no icav2 config file.
  const { parse: parseYaml } = await import("yaml");
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new ConfigError(`icav2 config file ${path} is not valid YAML (${reason}): fix it, or pass --api_key_file`);
  }
  const fields = (document !== null && typeof document === "object" ? document : {}) as Record<string, unknown>;
  const apiKey = nonEmptyString(fields["x-api-key"]);
  const serverUrl = nonEmptyString(fields["server-url"]);
  return {
    path,
    warnings,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(serverUrl !== undefined ? { serverUrl } : {}),
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Reads a default-location Illumina CLI file if it is there; absent is normal. */
export async function readIfPresent<T>(path: string, read: (path: string) => Promise<T>): Promise<T | undefined> {
  return (await exists(path)) ? read(path) : undefined;
}
