export { loadSettings, loadLocalSettings } from "./load-settings.js";
export type { LoadSettingsInput, LoadedSettings } from "./load-settings.js";
export {
  settingsSchema,
  localSettingsSchema,
  settingDefaults,
  parsePattern,
  settingsSecrets,
  describeSettings,
  basespaceRunsModes,
  emptyTrashModes,
} from "./settings.js";
export type { Settings, LocalSettings, SettingsDraft, SettingKey, ProjectRef } from "./settings.js";
export { settingFlags, settingDescriptions } from "./setting-options.js";
export type { SettingFlag, SettingDescription } from "./setting-options.js";
export { environmentVariables } from "./environment.js";
export type { Environment } from "./environment.js";
export type { FlagInput } from "./flags.js";
export { toSnakeCase } from "./flags.js";
export { ConfigError } from "./config-error.js";
export { readApiKeyFile, readPrivateFile } from "./secret-files.js";
export { readBasespaceConfig, readBasespaceTokenFile, readIcav2Config, basespaceConfigPath, icav2ConfigPath } from "./illumina-cli-files.js";
