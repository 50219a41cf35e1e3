import type { z } from "zod";
import { ConfigError, showValue } from "./config-error.js";
import { settingRecords, type SettingKey } from "./setting-records.js";
import { settingFix, settingLabel, settingRecord } from "./setting-views.js";
import type { SettingsDraft } from "./settings.js";

/**
 * One value offered by one configuration layer. File-backed values (key and token files, the
 * Illumina CLIs' files) are loaded only if no higher layer provides the setting, so an unused,
 * broken file further down cannot fail the cycle. A loader resolving to undefined falls through.
 */
export interface LayerEntry {
  /** Where it came from, for messages: `--days_to_archive`, `ICA_BASE_URL`, `config x.json pairs[1].source`. */
  source: string;
  /** Which layer it belongs to; set by `ofKind` when the layers are put in precedence order. */
  kind?: LayerKind;
  value?: unknown;
  load?: () => Promise<unknown>;
}

export type Layer = Partial<Record<SettingKey, LayerEntry>>;

/** The layers, highest precedence first. */
export type LayerKind = "flag" | "environment" | "config file" | "Illumina CLI file" | "default";

/** The same entries, marked as belonging to a layer of `kind`. */
export function ofKind(kind: LayerKind, layer: Layer): Layer {
  return Object.fromEntries(Object.entries(layer).map(([key, entry]) => [key, { ...entry, kind }]));
}

/** Shared by the layers of one load: warnings to report and file reads done once. */
export interface LoadContext {
  warn(message: string): void;
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export function createLoadContext(): LoadContext & { warnings: string[] } {
  const warnings: string[] = [];
  const reads = new Map<string, Promise<unknown>>();
  return {
    warnings,
    warn(message) {
      if (!warnings.includes(message)) warnings.push(message);
    },
    once<T>(key: string, read: () => Promise<T>) {
      if (!reads.has(key)) reads.set(key, read());
      return reads.get(key) as Promise<T>;
    },
  };
}

/** Where a setting's value came from. */
interface SettingOrigin {
  source: string;
  kind?: LayerKind;
}

/** An environment variable that hid a value the config file gives for the same setting. */
export interface EnvironmentOverride {
  setting: SettingKey;
  variable: string;
  /** The config file's entry, e.g. `config /etc/lab.json state_dir`. */
  configEntry: string;
}

export interface MergedDraft {
  draft: Partial<SettingsDraft>;
  origins: Partial<Record<SettingKey, SettingOrigin>>;
  overrides: EnvironmentOverride[];
}

/** For each key, the first layer (highest precedence first) that yields a value wins. */
export async function mergeLayers(layers: readonly Layer[], keys: readonly SettingKey[]): Promise<MergedDraft> {
  const merged: MergedDraft = { draft: {}, origins: {}, overrides: [] };
  for (const key of keys) {
    for (const [index, layer] of layers.entries()) {
      const entry = layer[key];
      if (entry === undefined) continue;
      const value = entry.load ? await entry.load() : entry.value;
      if (value === undefined) continue;
      (merged.draft as Record<string, unknown>)[key] = value;
      merged.origins[key] = { source: entry.source, ...(entry.kind !== undefined ? { kind: entry.kind } : {}) };
      const hidden = layers.slice(index + 1).find((lower) => lower[key]?.kind === "config file")?.[key];
      if (entry.kind === "environment" && hidden !== undefined) {
        merged.overrides.push({ setting: key, variable: entry.source, configEntry: hidden.source });
      }
      break;
    }
  }
  return merged;
}

/** One schema issue as one line: which setting, from where, what is wrong, how to fix it. */
function issueLine(issue: z.core.$ZodIssue, merged: MergedDraft): string {
  const key = issue.path[0];
  if (typeof key !== "string" || !(key in settingRecords)) return `invalid settings: ${issue.message}`;
  const record = settingRecord(key as SettingKey);
  const name = settingLabel(record);
  const value = (merged.draft as Record<string, unknown>)[key];
  if (value === undefined) return `${name} is not set: ${settingFix(record)}`;
  const from = ` (from ${merged.origins[key as SettingKey]?.source ?? "default"})`;
  // Custom issues (cross-field checks, regex compilation) carry their own explanation and fix.
  if (issue.code === "custom") return `${name}${from}: ${issue.message}`;
  const got = record.secret ? "" : `, got ${showValue(value)}`;
  return `${name}${from}: expected ${record.expects}${got}; ${settingFix(record)}`;
}

/** Every schema issue at once, one line each, so one run shows all there is to fix. */
export function settingsError(error: z.ZodError, merged: MergedDraft): ConfigError {
  return new ConfigError(error.issues.map((issue) => issueLine(issue, merged)).join("\n"));
}
