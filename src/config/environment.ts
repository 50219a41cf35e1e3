import { resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { secretFileLayer } from "./file-entries.js";
import type { Layer, LoadContext } from "./layers.js";
import { configLocations, type SettingKey, type settingRecords } from "./setting-records.js";
import { settingEntries } from "./setting-views.js";

export type Environment = Readonly<Record<string, string | undefined>>;

type Records = typeof settingRecords;
type ValueVariables = { [K in SettingKey as Records[K] extends { env: string } ? K : never]: string };
type FileVariables = { [K in SettingKey as Records[K] extends { envFile: string } ? `${K}File` : never]: string };
type EnvironmentVariables = ValueVariables & FileVariables & { config: string; basespaceConfig: string };

/**
 * The variables this tool reads, from the setting records (`apiKey`, and `apiKeyFile` for the one
 * naming a file) and the config locations; nothing else in the code looks at the environment.
 */
export const environmentVariables = Object.fromEntries([
  ...settingEntries.flatMap(([key, record]) => [
    ...(record.env !== undefined ? [[key, record.env]] : []),
    ...(record.envFile !== undefined ? [[`${key}File`, record.envFile]] : []),
  ]),
  ["config", configLocations.config.env],
  ["basespaceConfig", configLocations.basespaceConfig.env],
]) as EnvironmentVariables;

export interface EnvironmentLayer {
  layer: Layer;
  configPath?: string;
  /** ICA_ORCHESTRATOR_BASESPACE_CONFIG: where the `bs` CLI's file is read instead of its default place. */
  basespaceConfigPath?: string;
}

/** `docker run -e VAR=` sets VAR to ""; treat that as unset. */
function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** A variable that is set, with its name. */
function given(env: Environment, name: string | undefined): { name: string; value: string } | undefined {
  const value = name === undefined ? undefined : read(env, name);
  return name === undefined || value === undefined ? undefined : { name, value };
}

export function environmentLayer(env: Environment, cwd: string, context: LoadContext): EnvironmentLayer {
  const layer: Layer = {};
  for (const [key, record] of settingEntries) {
    const value = given(env, record.env);
    const file = given(env, record.envFile);
    if (value !== undefined && file !== undefined) {
      throw new ConfigError(
        `both ${value.name} and ${file.name} are set: unset one of them (in a container, -e ${file.name}= clears the image's default)`,
      );
    }
    if (file !== undefined) Object.assign(layer, secretFileLayer(key, resolve(cwd, file.value), file.name, context));
    if (value !== undefined) layer[key] = { source: value.name, value: record.kind === "path" ? resolve(cwd, value.value) : value.value };
  }
  const config = read(env, configLocations.config.env);
  const basespaceConfig = read(env, configLocations.basespaceConfig.env);
  return {
    layer,
    ...(config !== undefined ? { configPath: resolve(cwd, config) } : {}),
    ...(basespaceConfig !== undefined ? { basespaceConfigPath: resolve(cwd, basespaceConfig) } : {}),
  };
}
