import type { SettingKey } from "./settings.js";

/** How a setting is named to users, what a valid value looks like, and how to give one. */
export interface SettingDescription {
  name: string;
  expects: string;
  fix: string;
  /** Never echo the value in a message. */
  secret?: boolean;
}

export const settingDescriptions: Record<SettingKey, SettingDescription> = {
  source: {
    name: "source project",
    expects: "a project name or id",
    fix: "pass --source_project_name NAME or --source_project_id ID, or set source in the config file",
  },
  destination: {
    name: "destination project",
    expects: "a project name or id",
    fix: "pass --destination_project_name NAME or --destination_project_id ID, or set destination in the config file",
  },
  apiKey: {
    name: "ICA API key",
    expects: "a non-empty key",
    fix: "pass --api_key_file FILE, set ICA_API_KEY or ICA_API_KEY_FILE, or configure the icav2 CLI (~/.icav2/config.yaml)",
    secret: true,
  },
  icaBaseUrl: { name: "server_url", expects: "an http(s) URL such as https://ica.illumina.com", fix: "e.g. --server_url https://ica.illumina.com" },
  basespaceApiServer: {
    name: "basespace_api_server",
    expects: "an http(s) URL such as https://api.basespace.illumina.com",
    fix: "set BASESPACE_API_SERVER or apiServer in the bs config file",
  },
  basespaceAccessToken: {
    name: "BaseSpace access token",
    expects: "a non-empty token",
    fix: "pass --basespace_access_token_file FILE, set BASESPACE_ACCESS_TOKEN, or run bs auth",
    secret: true,
  },
  stateDir: { name: "state_dir", expects: "a directory path", fix: "e.g. --state_dir ./.ica-orchestrator" },
  managedTablePath: { name: "analyses_managed_table", expects: "a file path", fix: "e.g. --analyses_managed_table analyses_managed_table.txt" },
  daysToArchive: {
    name: "days_to_archive",
    expects: 'a whole number of days (1 or more) or "off"',
    fix: "e.g. --days_to_archive 60",
  },
  daysToDelete: { name: "days_to_delete", expects: "a whole number of days (1 or more)", fix: "e.g. --days_to_delete 90" },
  fastqPattern: {
    name: "fastq_pattern",
    expects: "a regular expression matched against FASTQ file names",
    fix: "e.g. --fastq_pattern '^M-' or '/^mgi/i'",
  },
  bclConvertPattern: {
    name: "bclconvert_pattern",
    expects: "a regular expression matched against pipeline codes",
    fix: "e.g. --bclconvert_pattern '/bcl.*convert/i'",
  },
  basespaceRuns: { name: "basespace_runs", expects: "one of all, related, none", fix: "e.g. --basespace_runs related" },
  emptyTrash: { name: "empty_trash", expects: "one of own-only, always, never", fix: "e.g. --empty_trash own-only" },
  deleteCap: { name: "delete_cap", expects: "a whole number (0 = no deletions)", fix: "e.g. --delete_cap 500" },
  protect: { name: "protect", expects: "a list of ids or name globs", fix: "e.g. --protect 'fil.123,*_KEEP*'" },
  dryRun: { name: "dry_run", expects: "true or false", fix: "pass --dry_run or leave it out" },
  concurrency: { name: "concurrency", expects: "a whole number from 1 to 64", fix: "e.g. --concurrency 8" },
  requestTimeoutMs: { name: "request_timeout_ms", expects: "milliseconds, 1000 or more", fix: "e.g. --request_timeout_ms 60000" },
  linkDeadlineMs: { name: "link_deadline_ms", expects: "milliseconds, 1000 or more", fix: "e.g. --link_deadline_ms 900000" },
  logLevel: { name: "log_level", expects: "one of error, warn, info, debug", fix: "e.g. --log_level debug" },
  logFormat: { name: "log_format", expects: "one of text, json", fix: "e.g. --log_format json" },
};

/**
 * The command-line options that feed settings, for the CLI to declare (each is also accepted in
 * kebab-case). `setting` names the draft key it sets; `file` options are read, not used as values.
 */
export interface SettingFlag {
  flag: string;
  setting: SettingKey;
  description: string;
  valueName?: string;
  file?: boolean;
  repeatable?: boolean;
}

export const settingFlags: readonly SettingFlag[] = [
  { flag: "source_project_name", setting: "source", valueName: "name", description: "ICA project the analyses run in" },
  { flag: "source_project_id", setting: "source", valueName: "id", description: "ICA project the analyses run in, by id" },
  { flag: "destination_project_name", setting: "destination", valueName: "name", description: "ICA project the FASTQs are linked into" },
  { flag: "destination_project_id", setting: "destination", valueName: "id", description: "ICA project the FASTQs are linked into, by id" },
  { flag: "api_key_file", setting: "apiKey", valueName: "file", file: true, description: "file holding the ICA API key (chmod 600)" },
  {
    flag: "basespace_access_token_file",
    setting: "basespaceAccessToken",
    valueName: "file",
    file: true,
    description: "bs config file holding accessToken (default ~/.basespace/default.cfg)",
  },
  { flag: "server_url", setting: "icaBaseUrl", valueName: "url", description: "ICA server (default https://ica.illumina.com)" },
  { flag: "analyses_managed_table", setting: "managedTablePath", valueName: "file", description: "table of analyses already managed" },
  { flag: "state_dir", setting: "stateDir", valueName: "dir", description: "journal, lock, audit log, reports (default ./.ica-orchestrator)" },
  { flag: "days_to_archive", setting: "daysToArchive", valueName: "days", description: 'archive data older than this (default 60; "off" to disable)' },
  { flag: "days_to_delete", setting: "daysToDelete", valueName: "days", description: "delete data older than this (default 90)" },
  { flag: "fastq_pattern", setting: "fastqPattern", valueName: "regex", description: "FASTQ names to link (default ^M; Undetermined* never)" },
  { flag: "bclconvert_pattern", setting: "bclConvertPattern", valueName: "regex", description: "pipeline codes that are BCLConvert" },
  { flag: "basespace_runs", setting: "basespaceRuns", valueName: "mode", description: "BaseSpace runs to age out: all, related, none" },
  { flag: "empty_trash", setting: "emptyTrash", valueName: "mode", description: "empty the BaseSpace trash: own-only, always, never" },
  { flag: "delete_cap", setting: "deleteCap", valueName: "n", description: "most deletions per cycle (default 500; 0 = none)" },
  { flag: "protect", setting: "protect", valueName: "ids-or-globs", repeatable: true, description: "never archive or delete these" },
  { flag: "dry_run", setting: "dryRun", description: "plan only: no change anywhere" },
  { flag: "concurrency", setting: "concurrency", valueName: "n", description: "parallel API requests (default 8)" },
  { flag: "request_timeout_ms", setting: "requestTimeoutMs", valueName: "ms", description: "timeout of one API request" },
  { flag: "link_deadline_ms", setting: "linkDeadlineMs", valueName: "ms", description: "how long to wait for a linking batch" },
  { flag: "log_level", setting: "logLevel", valueName: "level", description: "error, warn, info or debug" },
  { flag: "log_format", setting: "logFormat", valueName: "format", description: "text or json" },
];
