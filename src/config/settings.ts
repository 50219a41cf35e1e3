import { join } from "node:path";
import { z } from "zod";
import { logFormats, logLevels } from "../logging/logger.js";

export const basespaceRunsModes = ["all", "related", "none"] as const;
export const emptyTrashModes = ["own-only", "always", "never"] as const;

/**
 * Every default in one place. `fastqPattern` is "the file name starts with M", as the orchestration
 * issue specifies (the original tool's `mgi_or_not` was narrower: exactly `M-…`, i.e. `^M[-.]`);
 * `Undetermined*` files are never selected, whatever the pattern (orchestrator/plan/fastq-selection).
 */
export const settingDefaults = {
  icaBaseUrl: "https://ica.illumina.com",
  basespaceApiServer: "https://api.basespace.illumina.com",
  stateDir: ".ica-orchestrator",
  daysToArchive: 60,
  daysToDelete: 90,
  fastqPattern: "^M",
  bclConvertPattern: "/bcl.*convert/i",
  basespaceRuns: "all",
  emptyTrash: "own-only",
  deleteCap: 500,
  protect: [],
  dryRun: false,
  concurrency: 8,
  requestTimeoutMs: 60_000,
  linkDeadlineMs: 15 * 60_000,
  logLevel: "info",
  logFormat: "text",
  requeueFailed: false,
  maxRequeues: 1,
  requeueWithinDays: 3,
  notifyEmailTo: [],
  notifyStuckHours: 24,
  notifyPendingDays: 3,
  notifyRepeatHours: 24,
  notifyDigestHour: "off",
} as const satisfies Partial<Record<SettingKey, unknown>>;

// ── input coercion: flags and environment variables arrive as strings ─────────────────────────

const fromNumericString = (value: unknown): unknown =>
  typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(fromNumericString, z.int().min(min).max(max));

const offWords = new Set(["off", "none", "false", "never"]);
const numberOrOff = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (value) => (value === false || (typeof value === "string" && offWords.has(value.trim().toLowerCase())) ? null : fromNumericString(value)),
    z.int().min(min).max(max).nullable(),
  );
const daysOrOff = numberOrOff(1);

const booleanWords: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };
const flag = z.preprocess(
  (value) => (typeof value === "string" ? (booleanWords[value.trim().toLowerCase()] ?? value) : value),
  z.boolean(),
);

/** A comma-separated string, or a list (repeated flags, JSON array) whose items may hold commas too. */
const splitList = (value: unknown): unknown =>
  typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"))
    ? [value]
        .flat()
        .flatMap((item: string) => item.split(","))
        .map((item) => item.trim())
        .filter((item) => item !== "")
    : value;
const list = z.preprocess(splitList, z.array(z.string().min(1)));

/** `/body/flags` or a bare body; `g`/`y` are refused because they make RegExp.test() stateful. */
export function parsePattern(text: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  const [body, flags] = literal ? [literal[1] ?? "", literal[2] ?? ""] : [text, ""];
  if (/[gy]/.test(flags)) throw new SyntaxError(`flags g and y are not allowed`);
  return new RegExp(body, flags);
}

const pattern = z.string().min(1).transform((text, ctx) => {
  try {
    return parsePattern(text);
  } catch (error) {
    const reason = (error as Error).message;
    ctx.addIssue({ code: "custom", message: `not a valid regular expression (${reason}); escape ( [ . * + ? with a backslash to match them literally` });
    return z.NEVER;
  }
});

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }))
  .transform((text) => text.replace(/\/+$/, ""));

/** Mail servers as nodemailer takes them: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
const smtpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^smtps?$/ }));

/** `Name <address>` or a bare address; nodemailer parses both. */
const emailAddress = z
  .string()
  .trim()
  .regex(/^[^@\s<>]+@[^@\s<>]+$|^[^<>]*<[^@\s<>]+@[^@\s<>]+>$/);

/** node_exporter's textfile collector reads only `*.prom` files. */
const promFile = z.string().min(1).endsWith(".prom");

const projectRef = z.union([z.strictObject({ id: z.string().trim().min(1) }), z.strictObject({ name: z.string().trim().min(1) })]);
export type ProjectRef = z.infer<typeof projectRef>;

const secret = z.string().trim().min(1);

/** The original tool kept its table in the working directory; ours lives with the rest of the state. */
const defaultManagedTable = (stateDir: string): string => join(stateDir, "analyses_managed_table.txt");

// ── the one schema ────────────────────────────────────────────────────────────────────────────

/**
 * Validates the merged layers (flags > environment > config file > Illumina CLI files > defaults)
 * and produces the complete Settings of one cycle. Keys are the draft's; `basespaceApiServer` and
 * `basespaceAccessToken` become `basespace`, and the managed table defaults into the state dir.
 */
export const settingsShape = z.strictObject({
  source: projectRef,
  destination: projectRef,
  apiKey: secret,
  icaBaseUrl: httpUrl.refine((url) => !/\/ica\/rest$/.test(url), {
    message: "must name the server only, e.g. https://ica.illumina.com: the client appends /ica/rest itself",
  }),
  basespaceApiServer: httpUrl,
  basespaceAccessToken: secret.optional(),
  stateDir: z.string().min(1),
  managedTablePath: z.string().min(1).optional(),
  daysToArchive: daysOrOff,
  daysToDelete: wholeNumber(1),
  fastqPattern: pattern,
  bclConvertPattern: pattern,
  basespaceRuns: z.enum(basespaceRunsModes),
  emptyTrash: z.enum(emptyTrashModes),
  deleteCap: wholeNumber(0),
  protect: list,
  dryRun: flag,
  concurrency: wholeNumber(1, 64),
  requestTimeoutMs: wholeNumber(1_000),
  linkDeadlineMs: wholeNumber(1_000),
  logLevel: z.enum(logLevels),
  logFormat: z.enum(logFormats),
  requeueFailed: flag,
  maxRequeues: wholeNumber(0, 10),
  requeueWithinDays: daysOrOff,
  notifyWebhookUrl: httpUrl.optional(),
  notifySmtpUrl: smtpUrl.optional(),
  notifyEmailFrom: emailAddress.optional(),
  notifyEmailTo: z.preprocess(splitList, z.array(emailAddress)),
  notifyStuckHours: wholeNumber(1),
  notifyPendingDays: wholeNumber(1),
  notifyRepeatHours: wholeNumber(1),
  notifyDigestHour: numberOrOff(0, 23),
  metricsFile: promFile.optional(),
  metricsPort: wholeNumber(1, 65_535).optional(),
});

export const settingsSchema = settingsShape
  .superRefine((draft, ctx) => {
    if (draft.daysToArchive !== null && draft.daysToArchive > draft.daysToDelete) {
      ctx.addIssue({
        code: "custom",
        path: ["daysToArchive"],
        message: `${draft.daysToArchive} is more than days_to_delete (${draft.daysToDelete}): lower it, or set it to "off" to delete without archiving`,
      });
    }
    const same =
      ("id" in draft.source && "id" in draft.destination && draft.source.id === draft.destination.id) ||
      ("name" in draft.source && "name" in draft.destination && draft.source.name === draft.destination.name);
    if (same) {
      ctx.addIssue({
        code: "custom",
        path: ["destination"],
        message: "names the same project as the source: FASTQs are linked into another project, so give a different destination",
      });
    }
    const mail = { notify_email_from: draft.notifyEmailFrom !== undefined, notify_email_to: draft.notifyEmailTo.length > 0 };
    const missing = Object.keys(mail).filter((name) => !mail[name as keyof typeof mail]);
    if (draft.notifySmtpUrl !== undefined && missing.length > 0) {
      ctx.addIssue({ code: "custom", path: ["notifySmtpUrl"], message: `e-mail needs ${missing.join(" and ")} too: set them, or remove notify_smtp_url` });
    }
    if (draft.notifySmtpUrl === undefined && missing.length < 2) {
      const path = mail.notify_email_to ? "notifyEmailTo" : "notifyEmailFrom";
      ctx.addIssue({ code: "custom", path: [path], message: "no mail server to send through: set notify_smtp_url too, or remove this setting" });
    }
  })
  .transform(({ basespaceApiServer, basespaceAccessToken, managedTablePath, stateDir, ...rest }) => ({
    ...rest,
    stateDir,
    managedTablePath: managedTablePath ?? defaultManagedTable(stateDir),
    basespace:
      basespaceAccessToken === undefined ? undefined : { apiServer: basespaceApiServer, accessToken: basespaceAccessToken },
  }));

/**
 * The settings that need no credentials (for `status`, and for opening the log and the metrics before
 * the rest is validated): the same field schemas, picked.
 */
export const localSettingsSchema = settingsShape
  .pick({ stateDir: true, managedTablePath: true, logLevel: true, logFormat: true, dryRun: true, metricsFile: true, metricsPort: true })
  .transform(({ managedTablePath, ...rest }) => ({
    ...rest,
    managedTablePath: managedTablePath ?? defaultManagedTable(rest.stateDir),
  }));
export type LocalSettings = z.output<typeof localSettingsSchema>;

/** What the merged layers provide before validation (values may still be strings). */
export type SettingsDraft = z.input<typeof settingsSchema>;
export type SettingKey = keyof SettingsDraft;
/** The complete, validated settings of one cycle. */
export type Settings = z.output<typeof settingsSchema>;

/** The secret values in `settings`, to register with the SecretRedactor. */
export function settingsSecrets(settings: Settings): string[] {
  return [
    settings.apiKey,
    ...(settings.basespace ? [settings.basespace.accessToken] : []),
    ...urlSecrets(settings.notifyWebhookUrl),
    ...urlSecrets(settings.notifySmtpUrl),
  ];
}

/**
 * A webhook URL is a credential as a whole (Slack's path holds the token) and a mail server URL holds
 * a password: the URL, its path and query, and its user info are all registered, so an error message
 * quoting only part of it stays clean.
 */
function urlSecrets(text: string | undefined): string[] {
  if (text === undefined) return [];
  const url = new URL(text);
  const parts = [text, `${url.pathname}${url.search}`, decodeURIComponent(url.password), decodeURIComponent(url.username)];
  return parts.filter((part) => part !== "" && part !== "/");
}

/** A printable copy (doctor, status, reports): secrets replaced, patterns as text. */
export function describeSettings(settings: Settings): Record<string, unknown> {
  return {
    ...settings,
    apiKey: "[REDACTED]",
    basespace: settings.basespace ? { apiServer: settings.basespace.apiServer, accessToken: "[REDACTED]" } : undefined,
    notifyWebhookUrl: settings.notifyWebhookUrl === undefined ? undefined : "[REDACTED]",
    notifySmtpUrl: settings.notifySmtpUrl === undefined ? undefined : "[REDACTED]",
    fastqPattern: String(settings.fastqPattern),
    bclConvertPattern: String(settings.bclConvertPattern),
  };
}
