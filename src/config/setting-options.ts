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
  requeueFailed: { name: "requeue_failed", expects: "true or false", fix: "pass --requeue_failed or leave it out" },
  maxRequeues: { name: "max_requeues", expects: "a whole number from 0 to 10", fix: "e.g. --max_requeues 1" },
  requeueWithinDays: {
    name: "requeue_within_days",
    expects: 'a whole number of days (1 or more) or "off"',
    fix: "e.g. --requeue_within_days 3",
  },
  notifyWebhookUrl: {
    name: "notify_webhook_url",
    expects: "an http(s) URL of a Slack or Teams incoming webhook",
    fix: "copy the webhook URL from the Slack/Teams app settings into notify_webhook_url in the config file",
    secret: true,
  },
  notifySmtpUrl: {
    name: "notify_smtp_url",
    expects: "an smtp:// or smtps:// URL such as smtps://user:password@mail.example.org:465",
    fix: "set notify_smtp_url in the config file (percent-encode @ : / in the password)",
    secret: true,
  },
  notifyEmailFrom: {
    name: "notify_email_from",
    expects: "an e-mail address, optionally as Name <address>",
    fix: 'e.g. --notify_email_from "ICA orchestrator <seqcore@example.org>"',
  },
  notifyEmailTo: { name: "notify_email_to", expects: "a list of e-mail addresses", fix: "e.g. --notify_email_to lab@example.org,pi@example.org" },
  notifyStuckHours: {
    name: "notify_stuck_hours",
    expects: "a whole number of hours (1 or more)",
    fix: "e.g. --notify_stuck_hours 24",
  },
  notifyPendingDays: {
    name: "notify_pending_days",
    expects: "a whole number of days (1 or more)",
    fix: "e.g. --notify_pending_days 3",
  },
  notifyRepeatHours: {
    name: "notify_repeat_hours",
    expects: "a whole number of hours (1 or more)",
    fix: "e.g. --notify_repeat_hours 24",
  },
  notifyDigestHour: { name: "notify_digest_hour", expects: 'an hour from 0 to 23 (local time) or "off"', fix: "e.g. --notify_digest_hour 8" },
  metricsFile: {
    name: "metrics_file",
    expects: "a file path ending in .prom (node_exporter's textfile collector reads only those)",
    fix: "e.g. --metrics_file /var/lib/node_exporter/textfile_collector/ica_orchestrator.prom",
  },
  metricsPort: { name: "metrics_port", expects: "a TCP port from 1 to 65535", fix: "e.g. --metrics_port 9464" },
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
  { flag: "requeue_failed", setting: "requeueFailed", description: "run failed BCLConvert analyses again" },
  { flag: "max_requeues", setting: "maxRequeues", valueName: "n", description: "most requeues per failed analysis (default 1)" },
  {
    flag: "requeue_within_days",
    setting: "requeueWithinDays",
    valueName: "days",
    description: 'requeue only failures newer than this (default 3; "off" for any age)',
  },
  { flag: "notify_webhook_url", setting: "notifyWebhookUrl", valueName: "url", description: "Slack/Teams incoming webhook for alerts (a secret)" },
  { flag: "notify_smtp_url", setting: "notifySmtpUrl", valueName: "url", description: "smtp(s):// server for e-mail alerts (a secret)" },
  { flag: "notify_email_from", setting: "notifyEmailFrom", valueName: "address", description: "sender of e-mail alerts" },
  { flag: "notify_email_to", setting: "notifyEmailTo", valueName: "addresses", repeatable: true, description: "recipients of e-mail alerts" },
  { flag: "notify_stuck_hours", setting: "notifyStuckHours", valueName: "hours", description: "alert on work waiting longer (default 24)" },
  { flag: "notify_pending_days", setting: "notifyPendingDays", valueName: "days", description: "alert on analyses unfinished longer (default 3)" },
  { flag: "notify_repeat_hours", setting: "notifyRepeatHours", valueName: "hours", description: "repeat an alert after (default 24)" },
  { flag: "notify_digest_hour", setting: "notifyDigestHour", valueName: "hour", description: 'daily digest at this hour (default "off")' },
  { flag: "metrics_file", setting: "metricsFile", valueName: "file", description: "write Prometheus metrics here (*.prom)" },
  { flag: "metrics_port", setting: "metricsPort", valueName: "port", description: "watch: serve metrics at http://host:port/metrics" },
];
