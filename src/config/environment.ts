import { resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { apiKeyFileEntry } from "./file-entries.js";
import type { Layer, LoadContext } from "./layers.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** The variables this tool reads; nothing else in the code looks at the environment. */
export const environmentVariables = {
  apiKey: "ICA_API_KEY",
  apiKeyFile: "ICA_API_KEY_FILE",
  baseUrl: "ICA_BASE_URL",
  basespaceToken: "BASESPACE_ACCESS_TOKEN",
  basespaceServer: "BASESPACE_API_SERVER",
  config: "ICA_ORCHESTRATOR_CONFIG",
  stateDir: "ICA_ORCHESTRATOR_STATE_DIR",
  basespaceConfig: "ICA_ORCHESTRATOR_BASESPACE_CONFIG",
  notifyWebhookUrl: "ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL",
  notifySmtpUrl: "ICA_ORCHESTRATOR_NOTIFY_SMTP_URL",
} as const;

export interface EnvironmentLayer {
  layer: Layer;
  configPath?: string;
  /**
   * ICA_ORCHESTRATOR_BASESPACE_CONFIG moves the `bs` CLI's default file (~/.basespace/default.cfg), so
   * it keeps that file's place in the precedence and is read only if present: the container image
   * points it at /run/secrets/basespace.cfg, and a lab without BaseSpace mounts nothing there.
   */
  basespaceConfigPath?: string;
}

/** `docker run -e VAR=` sets VAR to ""; treat that as unset. */
function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function environmentLayer(env: Environment, cwd: string, context: LoadContext): EnvironmentLayer {
  const v = environmentVariables;
  const layer: Layer = {};
  const apiKey = read(env, v.apiKey);
  const apiKeyFile = read(env, v.apiKeyFile);
  if (apiKey !== undefined && apiKeyFile !== undefined) {
    throw new ConfigError(
      `both ${v.apiKey} and ${v.apiKeyFile} are set: unset one of them (in a container, -e ${v.apiKeyFile}= clears the image's default)`,
    );
  }
  if (apiKey !== undefined) layer.apiKey = { source: v.apiKey, value: apiKey };
  if (apiKeyFile !== undefined) layer.apiKey = apiKeyFileEntry(resolve(cwd, apiKeyFile), v.apiKeyFile, context);
  const entries = [
    ["icaBaseUrl", v.baseUrl],
    ["basespaceAccessToken", v.basespaceToken],
    ["basespaceApiServer", v.basespaceServer],
    // Both URLs hold credentials: a container gets them from a secret, never from the command line.
    ["notifyWebhookUrl", v.notifyWebhookUrl],
    ["notifySmtpUrl", v.notifySmtpUrl],
  ] as const;
  for (const [key, name] of entries) {
    const value = read(env, name);
    if (value !== undefined) layer[key] = { source: name, value };
  }
  const stateDir = read(env, v.stateDir);
  if (stateDir !== undefined) layer.stateDir = { source: v.stateDir, value: resolve(cwd, stateDir) };
  const config = read(env, v.config);
  const basespaceConfig = read(env, v.basespaceConfig);
  return {
    layer,
    ...(config !== undefined ? { configPath: resolve(cwd, config) } : {}),
    ...(basespaceConfig !== undefined ? { basespaceConfigPath: resolve(cwd, basespaceConfig) } : {}),
  };
}
