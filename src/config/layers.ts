import type { z } from "zod";
import { ConfigError, showValue } from "./config-error.js";
import { settingDescriptions } from "./setting-options.js";
import type { SettingKey, SettingsDraft } from "./settings.js";

/**
 * One value offered by one configuration layer. File-backed values (key and token files, the
 * Illumina CLIs' files) are loaded only if no higher layer provides the setting, so an unused,
 * broken file further down cannot fail the cycle. A loader resolving to undefined falls through.
 */
export interface LayerEntry {
  /** Where it came from, for messages: `--days_to_archive`, `ICA_BASE_URL`, `config x.json pairs[1].source`. */
  source: string;
  value?: unknown;
  load?: () => Promise<unknown>;
}

export type Layer = Partial<Record<SettingKey, LayerEntry>>;

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

export interface MergedDraft {
  draft: Partial<SettingsDraft>;
  sources: Partial<Record<SettingKey, string>>;
}

/** For each key, the first layer (highest precedence first) that yields a value wins. */
export async function mergeLayers(layers: readonly Layer[], keys: readonly SettingKey[]): Promise<MergedDraft> {
  const merged: MergedDraft = { draft: {}, sources: {} };
  for (const key of keys) {
    for (const layer of layers) {
      const entry = layer[key];
      if (entry === undefined) continue;
      const value = entry.load ? await entry.load() : entry.value;
      if (value === undefined) continue;
      (merged.draft as Record<string, unknown>)[key] = value;
      merged.sources[key] = entry.source;
      break;
    }
  }
  return merged;
}

/** Turns the first schema issue into a one-line ConfigError: which setting, from where, what, how to fix. */
export function settingsError(error: z.ZodError, merged: MergedDraft): ConfigError {
  const [issue, ...others] = error.issues;
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? "s" : ""})` : "";
  const key = issue?.path[0] as SettingKey | undefined;
  const description = key === undefined ? undefined : settingDescriptions[key];
  if (issue === undefined || key === undefined || description === undefined) {
    return new ConfigError(`invalid settings: ${issue?.message ?? error.message}${more}`);
  }
  const value = (merged.draft as Record<string, unknown>)[key];
  if (value === undefined) return new ConfigError(`${description.name} is not set: ${description.fix}${more}`);
  const from = ` (from ${merged.sources[key] ?? "default"})`;
  // Custom issues (cross-field checks, regex compilation) carry their own explanation and fix.
  if (issue.code === "custom") return new ConfigError(`${description.name}${from}: ${issue.message}${more}`);
  const got = description.secret ? "" : `, got ${showValue(value)}`;
  return new ConfigError(`${description.name}${from}: expected ${description.expects}${got}; ${description.fix}${more}`);
}
