import { resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { apiKeyFileEntry, basespaceTokenFileEntries } from "./file-entries.js";
import type { Layer, LoadContext } from "./layers.js";
import { settingFlags } from "./setting-options.js";
import type { SettingKey } from "./settings.js";

/** Command-line options as commander hands them over, in snake_case, kebab-case or camelCase. */
export type FlagInput = Readonly<Record<string, unknown>>;

const configFlag = "config";
const flagsByName = new Map(settingFlags.map((f) => [f.flag, f]));
const pathSettings = new Set<SettingKey>(["stateDir", "managedTablePath", "metricsFile"]);

/** `api-key-file`, `apiKeyFile` and `api_key_file` are the same option. */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/-/g, "_");
}

function normalizeFlags(input: FlagInput): Map<string, unknown> {
  const flags = new Map<string, unknown>();
  for (const [rawName, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const name = toSnakeCase(rawName);
    if (name !== configFlag && !flagsByName.has(name)) {
      throw new ConfigError(`unknown option --${rawName}: see --help for the options a cycle accepts`);
    }
    if (flags.has(name)) throw new ConfigError(`option --${name} is given twice (as --${rawName} too): keep one`);
    flags.set(name, value);
  }
  return flags;
}

function asPath(flag: string, value: unknown, cwd: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`option --${flag} needs a path, got ${JSON.stringify(value)}`);
  }
  return resolve(cwd, value);
}

function projectEntry(flags: Map<string, unknown>, side: "source" | "destination"): Layer[SettingKey] {
  const name = flags.get(`${side}_project_name`);
  const id = flags.get(`${side}_project_id`);
  if (name !== undefined && id !== undefined) {
    throw new ConfigError(`give either --${side}_project_name or --${side}_project_id, not both`);
  }
  if (name !== undefined) return { source: `--${side}_project_name`, value: { name } };
  if (id !== undefined) return { source: `--${side}_project_id`, value: { id } };
  return undefined;
}

export interface FlagsLayer {
  layer: Layer;
  /** `--config`, resolved against cwd. */
  configPath?: string;
}

/** The highest-precedence layer: options from the command line. */
export function flagsLayer(input: FlagInput, cwd: string, context: LoadContext): FlagsLayer {
  const flags = normalizeFlags(input);
  const layer: Layer = {};
  for (const side of ["source", "destination"] as const) {
    const entry = projectEntry(flags, side);
    if (entry) layer[side] = entry;
  }
  for (const [name, value] of flags) {
    const option = flagsByName.get(name);
    if (option === undefined || option.setting === "source" || option.setting === "destination") continue;
    const source = `--${name}`;
    if (option.setting === "apiKey") layer.apiKey = apiKeyFileEntry(asPath(name, value, cwd), source, context);
    else if (option.setting === "basespaceAccessToken") {
      Object.assign(layer, basespaceTokenFileEntries(asPath(name, value, cwd), source, context));
    } else {
      layer[option.setting] = { source, value: pathSettings.has(option.setting) ? asPath(name, value, cwd) : value };
    }
  }
  const config = flags.get(configFlag);
  return { layer, ...(config !== undefined ? { configPath: asPath(configFlag, config, cwd) } : {}) };
}
