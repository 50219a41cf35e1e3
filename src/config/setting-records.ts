import { z } from "zod";
import { logConsoleModes, logFormats, logLevels } from "../logging/logger.js";
import { eventsUrl } from "./events-url.js";
import { patternSchema } from "./pattern.js";
import {
  daysOrOff,
  decimalNumber,
  emailAddress,
  httpUrl,
  list,
  numberOrOff,
  onOff,
  projectRef,
  promFile,
  secret,
  smtpUrl,
  wholeNumber,
} from "./value-schemas.js";

const basespaceRunsModes = ["all", "related", "none"] as const;
export type BasespaceRunMode = (typeof basespaceRunsModes)[number];
export const emptyTrashModes = ["own-only", "always", "never"] as const;
/** Whether each kind of irreversible action goes first on one item against an account (the canary). */
const canaryModes = ["on", "off"] as const;
/** How a first cycle takes over old analyses when the managed table is empty (the adoption guard). */
const adoptModes = ["record", "deliver"] as const;
/** `cost-aware` leaves data unarchived when archiving it would cost more than it saves before deletion. */
const archivePolicies = ["standard", "cost-aware"] as const;
/** The BaseSpace API server when neither the environment nor a bs config file names one. */
const defaultBasespaceApiServer = "https://api.basespace.illumina.com";

/** A command-line option of a setting that is not the one `--<name>` (the projects' name and id options). */
interface ProjectFlag {
  flag: string;
  /** Which reference the value is: `--source_project_name X` means `{name: X}`. */
  project: "name" | "id";
}

/**
 * Everything about one setting: its value type, default, how help and errors describe it, and where
 * it can be given. `name` is the original tool's snake_case option, which is also the config-file key
 * and how messages name the setting unless `label` says otherwise; every option is also accepted in
 * kebab-case. The CLI's options and help, the environment and config-file layers, the defaults, the
 * validation messages and the README's table are all derived from these records.
 */
export interface SettingRecord {
  name: string;
  label?: string;
  schema: z.ZodType;
  default?: unknown;
  /** One phrase for help and the README; the default is appended to it. */
  description: string;
  /** What a valid value looks like, for error messages. */
  expects: string;
  /** A valid value, for error messages: `e.g. --<name> <example>`. */
  example?: string;
  /** How to give a value when `e.g. --<name> <example>` is not the whole story. */
  fix?: string;
  /** Never echo the value in a message or doctor's output. */
  secret?: true;
  /**
   * path: resolved against the working directory (flags, environment, default) or the config file's
   * folder; project: a name or id; file: the option and the config key name a file the value is read
   * from (file-entries.ts).
   */
  kind?: "path" | "project" | "file";
  /** The option's value in help (`--days_to_delete <days>`); absent for a switch. */
  valueName?: string;
  /** The option may be given several times, each adding to the list. */
  repeatable?: true;
  /** Options other than `--<name>`; an empty list means the setting has no option. */
  flags?: readonly ProjectFlag[];
  /** The environment variable holding the value itself. */
  env?: string;
  /** The environment variable naming a file that holds it (a secret); exclusive with `env`. */
  envFile?: string;
  /** A config file's pair may set it too, for its own cycle. */
  perPair?: true;
}

/** A price of Illumina's (docs/cost.md): the defaults are the published list prices. */
const icreditRate = (name: string, fallback: number, description: string) =>
  ({
    name,
    schema: decimalNumber,
    default: fallback,
    valueName: "icredits",
    description,
    expects: "a number of iCredits (0 or more, e.g. 22.5)",
    example: String(fallback),
  }) as const satisfies SettingRecord;

const project = (side: "source" | "destination", description: string) =>
  ({
    name: side,
    label: `${side} project`,
    schema: projectRef,
    kind: "project",
    perPair: true,
    description,
    expects: "a project name or id",
    fix: `pass --${side}_project_name NAME or --${side}_project_id ID, or set ${side} in the config file`,
    flags: [
      { flag: `${side}_project_name`, project: "name" },
      { flag: `${side}_project_id`, project: "id" },
    ],
  }) as const;

/**
 * Every setting, in the order help and the README list them. `fastq_pattern` defaults to "the file
 * name starts with M", as the orchestration issue specifies (the original tool's `mgi_or_not` was
 * narrower: exactly `M-…`); `Undetermined*` files are never selected, whatever the pattern.
 */
export const settingRecords = {
  source: project("source", "ICA project the analyses run in"),
  destination: project("destination", "ICA project the FASTQs are linked into"),
  apiKey: {
    name: "api_key_file",
    label: "ICA API key",
    schema: secret,
    kind: "file",
    valueName: "file",
    secret: true,
    env: "ICA_API_KEY",
    envFile: "ICA_API_KEY_FILE",
    description: "file holding the ICA API key (chmod 600)",
    expects: "a non-empty key",
    fix: "pass --api_key_file FILE, set ICA_API_KEY or ICA_API_KEY_FILE, or configure the icav2 CLI (~/.icav2/config.yaml)",
  },
  basespaceAccessToken: {
    name: "basespace_access_token_file",
    label: "BaseSpace access token",
    schema: secret.optional(),
    kind: "file",
    valueName: "file",
    secret: true,
    env: "BASESPACE_ACCESS_TOKEN",
    description: "bs config file holding accessToken (else ~/.basespace/default.cfg)",
    expects: "a non-empty token",
    fix: "pass --basespace_access_token_file FILE, set BASESPACE_ACCESS_TOKEN, or run bs auth",
  },
  icaBaseUrl: {
    name: "server_url",
    schema: httpUrl.refine((url) => !/\/ica\/rest$/.test(url), {
      message: "must name the server only, e.g. https://ica.illumina.com: the client appends /ica/rest itself",
    }),
    default: "https://ica.illumina.com",
    valueName: "url",
    env: "ICA_BASE_URL",
    description: "ICA server",
    expects: "an http(s) URL such as https://ica.illumina.com",
    example: "https://ica.illumina.com",
  },
  s3Endpoint: {
    name: "s3_endpoint",
    schema: httpUrl.optional(),
    valueName: "url",
    env: "ICA_ORCHESTRATOR_S3_ENDPOINT",
    // ICA's temporary credentials name a region, not an endpoint: only a stand-in store needs this.
    description: "S3 endpoint for `download`, only for the simulator or an S3-compatible test store; unset, AWS's endpoint for the credentials' region",
    expects: "an http(s) URL such as http://127.0.0.1:9000",
    example: "http://127.0.0.1:9000",
  },
  events: {
    name: "events",
    schema: eventsUrl.optional(),
    valueName: "url",
    env: "ICA_ORCHESTRATOR_EVENTS",
    description: "where ICA's analysis events arrive: an SQS queue (`sqs://<queue-url>`) or this tool's HTTP receiver (`http://0.0.0.0:PORT/path`); `subscribe` creates the channel and subscription",
    expects: "sqs://<queue-url> or http://host:port/path",
    example: "sqs://https://sqs.eu-central-1.amazonaws.com/123456789012/ica-events",
  },
  eventsAddress: {
    name: "events_address",
    schema: httpUrl.optional(),
    valueName: "url",
    env: "ICA_ORCHESTRATOR_EVENTS_ADDRESS",
    description: "the URL ICA posts events to when `--events http://…` listens behind a proxy or on 0.0.0.0 (the HTTP channel's address; 100 characters at most)",
    expects: "an http(s) URL such as https://lab.example.org/ica-events",
    example: "https://lab.example.org/ica-events",
  },
  sqsEndpoint: {
    name: "sqs_endpoint",
    schema: httpUrl.optional(),
    valueName: "url",
    env: "ICA_ORCHESTRATOR_SQS_ENDPOINT",
    // The queue URL names its endpoint already; only a stand-in queue (the simulator's) or a VPC endpoint needs this.
    description: "SQS endpoint for `--events sqs://…`, only for the simulator, an SQS-compatible test queue or a VPC endpoint; unset, the queue URL's host",
    expects: "an http(s) URL such as http://127.0.0.1:9324",
    example: "http://127.0.0.1:9324",
  },
  basespaceApiServer: {
    name: "basespace_api_server",
    schema: httpUrl,
    default: defaultBasespaceApiServer,
    flags: [],
    env: "BASESPACE_API_SERVER",
    description: "BaseSpace API server",
    expects: "an http(s) URL such as https://api.basespace.illumina.com",
    fix: "set BASESPACE_API_SERVER or apiServer in the bs config file",
  },
  stateDir: {
    name: "state_dir",
    schema: z.string().min(1),
    default: ".ica-orchestrator",
    kind: "path",
    valueName: "dir",
    env: "ICA_ORCHESTRATOR_STATE_DIR",
    description: "journal, lock, audit log, reports",
    expects: "a directory path",
    example: "./.ica-orchestrator",
  },
  fastqPattern: {
    name: "fastq_pattern",
    schema: patternSchema,
    default: "^M",
    valueName: "regex",
    perPair: true,
    description: "FASTQ names to link, never Undetermined*",
    expects: "a regular expression matched against FASTQ file names",
    example: "'^M-' or '/^mgi/i'",
  },
  fastqSuffixes: {
    name: "fastq_suffixes",
    // `.fastq.ora`: matched at the end of a file name, in any case.
    schema: list(
      z
        .string()
        .regex(/^\.[A-Za-z0-9._-]+$/, 'must be a file name ending that starts with a dot, e.g. ".fastq.ora"')
        .transform((suffix) => suffix.toLowerCase()),
    ).pipe(z.array(z.string()).min(1)),
    default: [".fastq", ".fastq.gz", ".fq", ".fq.gz", ".fastq.ora"],
    valueName: "suffixes",
    repeatable: true,
    perPair: true,
    description: "what a FASTQ's name ends in (any case)",
    expects: "file name endings that make a file a FASTQ, comma-separated",
    example: ".fastq.gz,.fq.gz,.fastq.ora",
  },
  minDaysAfterDelivery: {
    name: "min_days_after_delivery",
    schema: wholeNumber(0),
    default: 7,
    valueName: "days",
    description: "keep delivered data at least this long before archive or delete",
    expects: "a whole number of days (0 or more)",
    example: "7",
  },
  bclConvertPattern: {
    name: "bclconvert_pattern",
    schema: patternSchema,
    default: "/bcl.*convert/i",
    valueName: "regex",
    perPair: true,
    description: "pipeline codes that are BCLConvert",
    expects: "a regular expression matched against pipeline codes",
    example: "'/bcl.*convert/i'",
  },
  daysToArchive: {
    name: "days_to_archive",
    schema: daysOrOff,
    default: 60,
    valueName: "days",
    perPair: true,
    description: 'archive data older than this, or "off"',
    expects: 'a whole number of days (1 or more) or "off"',
    example: "60",
  },
  daysToDelete: {
    name: "days_to_delete",
    schema: wholeNumber(1),
    default: 90,
    valueName: "days",
    perPair: true,
    description: "delete data older than this",
    expects: "a whole number of days (1 or more)",
    example: "90",
  },
  managedTablePath: {
    name: "analyses_managed_table",
    schema: z.string().min(1).optional(),
    kind: "path",
    valueName: "file",
    perPair: true,
    description: "table of analyses already managed (default: in the state directory)",
    expects: "a file path",
    example: "analyses_managed_table.txt",
  },
  adopt: {
    name: "adopt",
    schema: z.enum(adoptModes).optional(),
    valueName: "mode",
    perPair: true,
    description: "empty managed table with old analyses: record them as managed, or deliver them (default: refuse)",
    expects: "one of record, deliver",
    example: "record",
  },
  protect: {
    name: "protect",
    schema: list(z.string().min(1)),
    default: [],
    valueName: "ids-or-globs",
    repeatable: true,
    perPair: true,
    description: "never archive or delete these",
    expects: "a list of ids or name globs",
    example: "'fil.123,*_KEEP*'",
  },
  deleteCap: {
    name: "delete_cap",
    schema: wholeNumber(0),
    default: 500,
    valueName: "n",
    perPair: true,
    description: "most deletions per cycle, 0 for none",
    expects: "a whole number (0 = no deletions)",
    example: "500",
  },
  basespaceRuns: {
    name: "basespace_runs",
    schema: z.enum(basespaceRunsModes),
    default: "all",
    valueName: "mode",
    perPair: true,
    description: "BaseSpace runs to age out: all, related, none",
    expects: "one of all, related, none",
    example: "related",
  },
  emptyTrash: {
    name: "empty_trash",
    schema: z.enum(emptyTrashModes),
    default: "own-only",
    valueName: "mode",
    perPair: true,
    description: "empty the BaseSpace trash: own-only, always, never",
    expects: "one of own-only, always, never",
    example: "own-only",
  },
  archivePolicy: {
    name: "archive_policy",
    schema: z.enum(archivePolicies),
    default: "standard",
    valueName: "policy",
    perPair: true,
    description: "standard: archive at days_to_archive; cost-aware: not when it costs more than it saves before deletion",
    expects: "one of standard, cost-aware",
    example: "cost-aware",
  },
  icreditsStandardTbMonth: icreditRate("icredits_standard_tb_month", 22.5, "iCredits per TB-month of standard storage"),
  icreditsArchiveTbMonth: icreditRate("icredits_archive_tb_month", 2, "iCredits per TB-month of archive storage"),
  icreditsArchivePerTb: icreditRate("icredits_archive_per_tb", 20, "iCredits per TB moved to archive"),
  icreditsRestorePerTb: icreditRate("icredits_restore_per_tb", 30, "iCredits per TB restored (unarchived)"),
  canary: {
    name: "canary",
    schema: z.enum(canaryModes),
    default: "on",
    valueName: "mode",
    description: "each kind of archive, restore, delete, trash, relaunch first on one item, the rest once that is confirmed",
    expects: "on or off",
    example: "off",
  },
  dryRun: {
    name: "dry_run",
    schema: onOff,
    default: false,
    description: "plan only: no change anywhere",
    expects: "true or false",
  },
  concurrency: {
    name: "concurrency",
    schema: wholeNumber(1, 64),
    default: 8,
    valueName: "n",
    description: "parallel API requests",
    expects: "a whole number from 1 to 64",
    example: "8",
  },
  requestTimeoutMs: {
    name: "request_timeout_ms",
    schema: wholeNumber(1_000),
    default: 60_000,
    valueName: "ms",
    description: "timeout of one API request",
    expects: "milliseconds, 1000 or more",
    example: "60000",
  },
  linkDeadlineMs: {
    name: "link_deadline_ms",
    schema: wholeNumber(1_000),
    default: 15 * 60_000,
    valueName: "ms",
    description: "how long to wait for a linking batch",
    expects: "milliseconds, 1000 or more",
    example: "900000",
  },
  logLevel: {
    name: "log_level",
    schema: z.enum(logLevels),
    default: "info",
    valueName: "level",
    description: "error, warn, info or debug",
    expects: "one of error, warn, info, debug",
    example: "debug",
  },
  logFormat: {
    name: "log_format",
    schema: z.enum(logFormats),
    default: "text",
    valueName: "format",
    description: "text or json",
    expects: "one of text, json",
    example: "json",
  },
  logConsole: {
    name: "log_console",
    schema: z.enum(logConsoleModes),
    default: "all",
    valueName: "lines",
    description: "log lines also on stderr: all, warnings (and errors) or none; the log file gets all of them",
    expects: "one of all, warnings, none",
    example: "none",
  },
  keepReportsDays: {
    name: "keep_reports_days",
    schema: wholeNumber(1),
    default: 30,
    valueName: "days",
    description: "keep cycle reports (reports/) for",
    expects: "a whole number of days (1 or more)",
    example: "30",
  },
  requeueFailed: {
    name: "requeue_failed",
    schema: onOff,
    default: false,
    description: "run failed BCLConvert analyses again",
    expects: "true or false",
  },
  maxRequeues: {
    name: "max_requeues",
    schema: wholeNumber(0, 10),
    default: 1,
    valueName: "n",
    description: "most requeues per failed analysis",
    expects: "a whole number from 0 to 10",
    example: "1",
  },
  requeueWithinDays: {
    name: "requeue_within_days",
    schema: daysOrOff,
    default: 3,
    valueName: "days",
    description: 'requeue only failures newer than this, or "off" for any age',
    expects: 'a whole number of days (1 or more) or "off"',
    example: "3",
  },
  maxRequeuesPerCycle: {
    name: "max_requeues_per_cycle",
    schema: wholeNumber(0, 100),
    default: 3,
    valueName: "n",
    description: "most BCLConvert launches per cycle, all analyses together",
    expects: "a whole number from 0 to 100",
    example: "3",
  },
  notifyWebhookUrl: {
    name: "notify_webhook_url",
    schema: httpUrl.optional(),
    valueName: "url",
    secret: true,
    // Both URLs hold credentials: a container gets them from a secret, never from the command line.
    env: "ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL",
    description: "Slack/Teams incoming webhook for alerts (a secret)",
    expects: "an http(s) URL of a Slack or Teams incoming webhook",
    fix: "copy the webhook URL from the Slack/Teams app settings into notify_webhook_url in the config file",
  },
  notifySmtpUrl: {
    name: "notify_smtp_url",
    schema: smtpUrl.optional(),
    valueName: "url",
    secret: true,
    env: "ICA_ORCHESTRATOR_NOTIFY_SMTP_URL",
    description: "smtp(s):// server for e-mail alerts (a secret)",
    expects: "an smtp:// or smtps:// URL such as smtps://user:password@mail.example.org:465",
    fix: "set notify_smtp_url in the config file (percent-encode @ : / in the password)",
  },
  notifyEmailFrom: {
    name: "notify_email_from",
    schema: emailAddress.optional(),
    valueName: "address",
    description: "sender of e-mail alerts",
    expects: "an e-mail address, optionally as Name <address>",
    example: '"ICA orchestrator <seqcore@example.org>"',
  },
  notifyEmailTo: {
    name: "notify_email_to",
    schema: list(emailAddress),
    default: [],
    valueName: "addresses",
    repeatable: true,
    description: "recipients of e-mail alerts",
    expects: "a list of e-mail addresses",
    example: "lab@example.org,pi@example.org",
  },
  notifyStuckHours: {
    name: "notify_stuck_hours",
    schema: wholeNumber(1),
    default: 24,
    valueName: "hours",
    description: "alert on work waiting longer",
    expects: "a whole number of hours (1 or more)",
    example: "24",
  },
  notifyPendingDays: {
    name: "notify_pending_days",
    schema: wholeNumber(1),
    default: 3,
    valueName: "days",
    description: "alert on analyses unfinished longer",
    expects: "a whole number of days (1 or more)",
    example: "3",
  },
  notifyRepeatHours: {
    name: "notify_repeat_hours",
    schema: wholeNumber(1),
    default: 24,
    valueName: "hours",
    description: "repeat an alert after",
    expects: "a whole number of hours (1 or more)",
    example: "24",
  },
  notifyDigestHour: {
    name: "notify_digest_hour",
    schema: numberOrOff(0, 23),
    default: "off",
    valueName: "hour",
    description: "daily digest at this hour",
    expects: 'an hour from 0 to 23 (local time) or "off"',
    example: "8",
  },
  metricsFile: {
    name: "metrics_file",
    schema: promFile.optional(),
    kind: "path",
    valueName: "file",
    description: "write Prometheus metrics here (*.prom)",
    expects: "a file path ending in .prom (node_exporter's textfile collector reads only those)",
    example: "/var/lib/node_exporter/textfile_collector/ica_orchestrator.prom",
  },
  pollSeconds: {
    name: "poll_seconds",
    schema: decimalNumber,
    default: 30,
    valueName: "seconds",
    description: "watch: look for new SUCCEEDED BCLConvert analyses this often and deliver them at once; 0 turns the fast path off",
    expects: "a number of seconds (0 or more, decimals allowed)",
    example: "30",
  },
  minDeliveryIntervalSeconds: {
    name: "min_delivery_interval_seconds",
    schema: decimalNumber,
    default: 5,
    valueName: "seconds",
    description:
      "watch: at least this long between the starts of two delivery cycles; events and polls that come sooner wait and are delivered together, so a flood of (possibly forged) events starts at most one delivery cycle per interval; 0 removes the floor (still one cycle at a time)",
    expects: "a number of seconds (0 or more, decimals allowed)",
    example: "5",
  },
  metricsPort: {
    name: "metrics_port",
    schema: wholeNumber(1, 65_535).optional(),
    valueName: "port",
    description: "watch: serve metrics at http://host:port/metrics",
    expects: "a TCP port from 1 to 65535",
    example: "9464",
  },
  metricsHost: {
    name: "metrics_host",
    // Loopback by default: the metrics name projects and counts, which is nobody else's business
    // unless asked for. The image sets 0.0.0.0 (ICA_ORCHESTRATOR_METRICS_HOST) so a published port works.
    schema: z.union([z.ipv4(), z.ipv6(), z.hostname()]),
    default: "127.0.0.1",
    valueName: "address",
    env: "ICA_ORCHESTRATOR_METRICS_HOST",
    description: "watch: the address metrics_port listens on; 0.0.0.0 for every interface",
    expects: "an IP address or a host name of this machine",
    example: "0.0.0.0",
  },
} as const satisfies Record<string, SettingRecord>;

export type SettingKey = keyof typeof settingRecords;

/** Where the configuration itself is found: inputs that are not settings. */
export const configLocations = {
  config: {
    flag: "config",
    valueName: "file.json",
    env: "ICA_ORCHESTRATOR_CONFIG",
    description: "the config file: defaults and source/destination pairs (JSON)",
  },
  /**
   * Moves the `bs` CLI's default file, so it keeps that file's place in the precedence and is read
   * only if present: the container image points it at /run/secrets/basespace.cfg, and a lab without
   * BaseSpace mounts nothing there.
   */
  basespaceConfig: {
    env: "ICA_ORCHESTRATOR_BASESPACE_CONFIG",
    description: "where the `bs` config is read instead of ~/.basespace/default.cfg (if present)",
  },
} as const;
