import { resolve } from "node:path";
import type { z } from "zod";
import { ConfigError } from "./config-error.js";
import { readConfigFile, type ConfigFileLayers } from "./config-file.js";
import { environmentLayer, type Environment } from "./environment.js";
import { illuminaCliLayer } from "./file-entries.js";
import { flagsLayer, type FlagInput } from "./flags.js";
import type { SettingKey } from "./setting-records.js";
import { settingEntries } from "./setting-views.js";
import { createLoadContext, mergeLayers, ofKind, settingsError, type Layer, type LoadContext, type MergedDraft } from "./layers.js";
import { checkPairRules } from "./pair-rules.js";
import { overrideWarning, settingSources, type SettingSource } from "./setting-sources.js";
import {
  localSettingsSchema,
  settingsSchema,
  settingsShape,
  transferSettingsSchema,
  type LocalSettings,
  type Settings,
  type TransferSettings,
} from "./settings.js";

export interface LoadSettingsInput {
  /** Command-line options (snake, kebab or camel case); `config` names the config file. */
  flags?: FlagInput;
  /** Passed in rather than read from process.env, so tests and the demo control it. */
  env?: Environment;
  /** Where ~/.basespace and ~/.icav2 are looked for. */
  homeDir: string;
  /** Relative paths on the command line and in the environment are relative to this. */
  cwd: string;
}

export interface LoadedSettings {
  /** One per cycle: several when the config file lists pairs. */
  settings: Settings[];
  /** Per cycle, which layer set each setting that is not at its default (doctor, the start-up debug line). */
  sources: SettingSource[][];
  /** e.g. a key file readable by others; the CLI logs these. */
  warnings: string[];
  /** An environment variable hiding a config-file value, one warning each; the CLI logs these once per process. */
  overrides: string[];
  configPath?: string;
}

function defaultsLayer(cwd: string): Layer {
  const layer: Layer = {};
  for (const [key, record] of settingEntries) {
    if (record.default === undefined) continue;
    layer[key] = { source: "default", value: record.kind === "path" ? resolve(cwd, String(record.default)) : record.default };
  }
  return layer;
}

/**
 * Flags that name a project replace the config file's pairs with one cycle; with one pair in the
 * file, a flag may override just one side of it.
 */
function pairLayers(flags: Layer, config: ConfigFileLayers | undefined): Layer[] {
  const pairs = config?.pairs ?? [];
  const flagSides = (["source", "destination"] as const).filter((side) => flags[side] !== undefined);
  if (flagSides.length === 0) return pairs.length > 0 ? pairs : [{}];
  if (pairs.length > 1 && flagSides.length < 2) {
    throw new ConfigError(
      `the config file lists ${pairs.length} pairs, so a project flag must come with its counterpart: give both source and destination flags, or neither`,
    );
  }
  return pairs.length === 1 ? pairs : [{}];
}

async function validated<S extends z.ZodType>(schema: S, layers: Layer[], keys: SettingKey[]): Promise<{ data: z.output<S>; merged: MergedDraft }> {
  const merged = await mergeLayers(layers, keys);
  const result = schema.safeParse(merged.draft);
  if (!result.success) throw settingsError(result.error, merged);
  return { data: result.data, merged };
}

interface ResolvedLayers {
  /** Highest precedence first, one list per cycle. */
  cycles: Layer[][];
  context: LoadContext & { warnings: string[] };
  configPath?: string;
}

async function resolveLayers(input: LoadSettingsInput): Promise<ResolvedLayers> {
  const { env = {}, homeDir, cwd } = input;
  const context = createLoadContext();
  const flags = flagsLayer(input.flags ?? {}, cwd, context);
  const environment = environmentLayer(env, cwd, context);
  const configPath = flags.configPath ?? environment.configPath;
  const config = configPath === undefined ? undefined : await readConfigFile(configPath, context);
  const illumina = illuminaCliLayer(homeDir, context, environment.basespaceConfigPath);
  const higher = [ofKind("flag", flags.layer), ofKind("environment", environment.layer)];
  const lower = [...(config ? [ofKind("config file", config.top)] : []), ofKind("Illumina CLI file", illumina), ofKind("default", defaultsLayer(cwd))];
  const cycles = pairLayers(flags.layer, config).map((pair) => [...higher, ofKind("config file", pair), ...lower]);
  return { cycles, context, ...(configPath !== undefined ? { configPath } : {}) };
}

/**
 * Resolves the settings of each cycle with the precedence flags > environment > config file >
 * Illumina CLI files > defaults, validated by the one settings schema. Throws ConfigError naming
 * every problem, one line each: which setting, from where, what is wrong, how to fix it.
 */
export async function loadSettings(input: LoadSettingsInput): Promise<LoadedSettings> {
  const { cycles, context, configPath } = await resolveLayers(input);
  const keys = Object.keys(settingsShape.shape) as SettingKey[];
  const settings: Settings[] = [];
  const sources: SettingSource[][] = [];
  const overrides = new Set<string>();
  for (const layers of cycles) {
    const { data, merged } = await validated(settingsSchema, layers, keys);
    settings.push(data);
    sources.push(settingSources(merged));
    merged.overrides.forEach((override) => overrides.add(overrideWarning(override)));
  }
  checkPairRules(settings);
  return { settings, sources, warnings: context.warnings, overrides: [...overrides], ...(configPath !== undefined ? { configPath } : {}) };
}

/**
 * The credential-free part of the settings (state dir, managed table, logging) with the same
 * precedence, for `status` and for opening the log before credentials are checked. Reads no
 * secret file. Several pairs may share one state directory, so this returns one per cycle too.
 */
export async function loadLocalSettings(input: LoadSettingsInput): Promise<LocalSettings[]> {
  return loadPicked(input, localSettingsSchema, Object.keys(localSettingsSchema.in.shape) as SettingKey[]);
}

/**
 * What `download` needs (ICA key, server, destination project if given), with the same precedence;
 * reads no BaseSpace file and needs no source project. The key and server are the same for every
 * pair of a config file; the destination is left out when the pairs name different ones.
 */
export async function loadTransferSettings(input: LoadSettingsInput): Promise<TransferSettings> {
  const [first, ...others] = await loadPicked(input, transferSettingsSchema, Object.keys(transferSettingsSchema.shape) as SettingKey[]);
  if (!first) throw new ConfigError("no settings to load");
  const same = others.every((other) => JSON.stringify(other.destination) === JSON.stringify(first.destination));
  return same ? first : { apiKey: first.apiKey, icaBaseUrl: first.icaBaseUrl, s3Endpoint: first.s3Endpoint };
}

async function loadPicked<S extends z.ZodType>(input: LoadSettingsInput, schema: S, keys: SettingKey[]): Promise<z.output<S>[]> {
  const { cycles } = await resolveLayers(input);
  const picked: z.output<S>[] = [];
  for (const layers of cycles) picked.push((await validated(schema, layers, keys)).data);
  return picked;
}
