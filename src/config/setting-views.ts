import { settingRecords, type SettingKey, type SettingRecord } from "./setting-records.js";

/** The settings' records, keyed, for code that walks all of them. */
export const settingEntries = Object.entries(settingRecords) as ReadonlyArray<[SettingKey, SettingRecord]>;

export function settingRecord(key: SettingKey): SettingRecord {
  return settingRecords[key];
}

/** How messages name a setting: `days_to_delete`, or `ICA API key` for one given through a file. */
export const settingLabel = (record: SettingRecord): string => record.label ?? record.name;

/** How to give a valid value, when an error message needs one. */
export function settingFix(record: SettingRecord): string {
  if (record.fix !== undefined) return record.fix;
  return record.example === undefined ? `pass --${record.name} or leave it out` : `e.g. --${record.name} ${record.example}`;
}

/**
 * The description for help and the README, with the default (switches and empty lists have none worth saying).
 * @internal exported for the tests
 */
export function settingHelp(record: SettingRecord): string {
  const value = record.default;
  const shown = value === undefined || value === false || Array.isArray(value) ? "" : ` (default ${String(value)})`;
  return `${record.description}${shown}`;
}

/**
 * One command-line option that feeds a setting. `project` options give a project by name or id;
 * `file` options name a file the value is read from.
 */
export interface SettingFlag {
  flag: string;
  setting: SettingKey;
  description: string;
  valueName?: string;
  repeatable?: boolean;
  project?: "name" | "id";
  file?: boolean;
}

function flagsOf(setting: SettingKey, record: SettingRecord): SettingFlag[] {
  if (record.flags !== undefined) {
    return record.flags.map(({ flag, project }) => ({
      flag,
      setting,
      project,
      valueName: project,
      description: project === "id" ? `${record.description}, by id` : record.description,
    }));
  }
  return [
    {
      flag: record.name,
      setting,
      description: settingHelp(record),
      ...(record.valueName !== undefined ? { valueName: record.valueName } : {}),
      ...(record.repeatable ? { repeatable: true } : {}),
      ...(record.kind === "file" ? { file: true } : {}),
    },
  ];
}

/** The options the CLI declares for the settings (each also in kebab-case), in the records' order. */
export const settingFlags: readonly SettingFlag[] = settingEntries.flatMap(([key, record]) => flagsOf(key, record));
