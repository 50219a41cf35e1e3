import { resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { secretFileLayer } from "./file-entries.js";
import type { Layer, LayerEntry, LoadContext } from "./layers.js";
import { configLocations, type SettingKey } from "./setting-records.js";
import { settingEntries, settingFlags, settingRecord } from "./setting-views.js";

/** Command-line options as commander hands them over, in snake_case, kebab-case or camelCase. */
export type FlagInput = Readonly<Record<string, unknown>>;

const configFlag = configLocations.config.flag;
const flagsByName = new Map(settingFlags.map((f) => [f.flag, f]));

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

/** A project given by name or by id, not both. */
function projectEntry(flags: Map<string, unknown>, setting: SettingKey): LayerEntry | undefined {
  const given = settingFlags.filter((f) => f.setting === setting && flags.get(f.flag) !== undefined);
  const [first, second] = given;
  if (second !== undefined) throw new ConfigError(`give either --${first?.flag} or --${second.flag}, not both`);
  if (first?.project === undefined) return undefined;
  return { source: `--${first.flag}`, value: { [first.project]: flags.get(first.flag) } };
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
  for (const [setting, record] of settingEntries) {
    const entry = record.kind === "project" ? projectEntry(flags, setting) : undefined;
    if (entry) layer[setting] = entry;
  }
  for (const [name, value] of flags) {
    const option = flagsByName.get(name);
    if (option === undefined || option.project !== undefined) continue;
    const source = `--${name}`;
    const { kind } = settingRecord(option.setting);
    if (kind === "file") Object.assign(layer, secretFileLayer(option.setting, asPath(name, value, cwd), source, context));
    else layer[option.setting] = { source, value: kind === "path" ? asPath(name, value, cwd) : value };
  }
  const config = flags.get(configFlag);
  return { layer, ...(config !== undefined ? { configPath: asPath(configFlag, config, cwd) } : {}) };
}
