import { Option, type Command } from "commander";
import { configLocations, settingFlags, toSnakeCase, type FlagInput, type SettingFlag } from "../config/index.js";

const kebab = (flag: string): string => flag.replace(/_/g, "-");

/** `--name <value>` (or a bare switch); repeatable options collect every occurrence. */
function option(flag: SettingFlag, name: string): Option {
  const value = flag.valueName === undefined ? "" : ` <${flag.valueName}>`;
  const declared = new Option(`--${name}${value}`, flag.description);
  // No commander defaults: a default here would outrank the environment and the config file.
  return flag.repeatable ? declared.argParser((item: string, previous: string[] | undefined) => [...(previous ?? []), item]) : declared;
}

export interface CycleOptionsChoice {
  /** Options the command fixes itself (`plan` is always a dry run). */
  omit?: readonly string[];
  /** The only setting options the command takes (`download` needs no BaseSpace token, no lifecycle). */
  only?: readonly string[];
}

/**
 * Declares the options that feed the settings (the original tool's snake_case names, each also in
 * kebab-case, which help does not list twice) plus `--config`. Commander keeps `api_key_file` and
 * `apiKeyFile` apart, and the config layer reads both and refuses an option given in both spellings.
 */
export function addCycleOptions(command: Command, choice: CycleOptionsChoice = {}): Command {
  const omit = new Set(choice.omit ?? []);
  const only = choice.only === undefined ? undefined : new Set(choice.only);
  const { config } = configLocations;
  command.option(`--${config.flag} <${config.valueName}>`, `${config.description} (or ${config.env})`);
  for (const flag of settingFlags) {
    if (omit.has(flag.flag) || (only !== undefined && !only.has(flag.flag))) continue;
    command.addOption(option(flag, flag.flag));
    if (kebab(flag.flag) !== flag.flag) command.addOption(option(flag, kebab(flag.flag)).hideHelp());
  }
  return command.addHelpText("after", "\nEvery option is also accepted in kebab-case (--api-key-file, --dry-run, ...).");
}

const settingOptionNames = new Set([configLocations.config.flag, ...settingFlags.map((flag) => flag.flag)]);

/**
 * The options of `command` that feed the settings, as the config layer takes them: without the
 * command's own options (`--schedule`, `--json`) and without those left unset.
 */
export function cycleFlags(command: Command): FlagInput {
  const given = Object.entries(command.opts()).filter(
    ([name, value]) => value !== undefined && settingOptionNames.has(toSnakeCase(name)),
  );
  return Object.fromEntries(given);
}
