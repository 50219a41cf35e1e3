import type { EnvironmentOverride, LayerKind, MergedDraft } from "./layers.js";
import type { SettingKey } from "./setting-records.js";
import { settingLabel, settingRecord } from "./setting-views.js";

/** A setting that did not come from the defaults: where it came from and, unless it is a secret, its value. */
export interface SettingSource {
  setting: SettingKey;
  /** As messages name it: `state_dir`, `ICA API key`. */
  name: string;
  /** `--state_dir`, `ICA_ORCHESTRATOR_STATE_DIR`, `config /etc/lab.json state_dir`, `~/.icav2/config.yaml x-api-key`. */
  source: string;
  kind?: LayerKind;
  /** As given (before validation); never present for a secret. */
  value?: unknown;
}

/** Which layer set each setting that is not at its default, in the records' order. */
export function settingSources(merged: MergedDraft): SettingSource[] {
  return Object.entries(merged.origins).flatMap(([key, origin]) => {
    if (origin.kind === "default") return [];
    const record = settingRecord(key as SettingKey);
    const value = (merged.draft as Record<string, unknown>)[key];
    return [{ setting: key as SettingKey, name: settingLabel(record), ...origin, ...(record.secret ? {} : { value }) }];
  });
}

const where = (source: SettingSource): string => `${source.source}${source.kind === undefined ? "" : ` (${source.kind})`}`;

/** One line for the start-up debug log: names and sources, no values. */
export function sourcesLines(sources: readonly SettingSource[]): string[] {
  // One line each: all of them on one line made it longer than a log line may be.
  return [`settings not at their defaults: ${sources.length}`, ...sources.map((source) => `setting ${source.name} from ${where(source)}`)];
}

/** One line per setting for doctor: name, value (never a secret's) and source. */
export function sourceLines(sources: readonly SettingSource[]): string[] {
  return sources.map((source) => {
    const value = "value" in source ? ` = ${JSON.stringify(source.value)}` : " (secret, not shown)";
    return `${source.name}${value} from ${where(source)}`;
  });
}

/** The warning for an environment variable hiding a config-file value: both named, neither value shown. */
export function overrideWarning(override: EnvironmentOverride): string {
  return `${override.variable} overrides ${override.configEntry} (the environment wins): unset the stale one`;
}
