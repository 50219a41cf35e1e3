import { join } from "node:path";
import { z } from "zod";
import type { SettingKey, settingRecords } from "./setting-records.js";
import { settingEntries } from "./setting-views.js";

type Records = typeof settingRecords;
type Shape = { [K in SettingKey]: Records[K]["schema"] };
type Defaults = { [K in SettingKey as Records[K] extends { default: unknown } ? K : never]: Records[K] extends { default: infer D } ? D : never };

/** Every setting's default, from its record. */
export const settingDefaults = Object.fromEntries(
  settingEntries.flatMap(([key, record]) => ("default" in record ? [[key, record.default]] : [])),
) as Defaults;

/** The original tool kept its table in the working directory; ours lives with the rest of the state. */
const defaultManagedTable = (stateDir: string): string => join(stateDir, "analyses_managed_table.txt");

// ── the one schema ────────────────────────────────────────────────────────────────────────────

/**
 * Validates the merged layers (flags > environment > config file > Illumina CLI files > defaults)
 * and produces the complete Settings of one cycle: each field's schema is its record's.
 * `basespaceApiServer` and `basespaceAccessToken` become `basespace`, and the managed table defaults
 * into the state dir.
 */
export const settingsShape = z.strictObject(Object.fromEntries(settingEntries.map(([key, record]) => [key, record.schema])) as Shape);

/** What one setting's schema cannot see alone: settings that contradict each other. */
function crossChecks(draft: z.output<typeof settingsShape>, ctx: z.RefinementCtx<z.output<typeof settingsShape>>): void {
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
}

export const settingsSchema = settingsShape
  // Cross-field checks run on valid values only: a field's own problem is reported once, by its schema.
  .superRefine(crossChecks, { when: (payload) => payload.issues.length === 0 })
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
  .pick({ stateDir: true, managedTablePath: true, logLevel: true, logFormat: true, logConsole: true, dryRun: true, metricsFile: true, metricsPort: true, metricsHost: true, pollSeconds: true, minDeliveryIntervalSeconds: true, canary: true })
  .transform(({ managedTablePath, ...rest }) => ({
    ...rest,
    managedTablePath: managedTablePath ?? defaultManagedTable(rest.stateDir),
  }));
export type LocalSettings = z.output<typeof localSettingsSchema>;

/**
 * What `download` needs: an ICA key and server, and the destination project when the manifest is
 * read from ICA. The same field schemas, picked; the destination may be absent.
 */
export const transferSettingsSchema = settingsShape
  .pick({ apiKey: true, icaBaseUrl: true, s3Endpoint: true })
  .extend({ destination: settingsShape.shape.destination.optional() });
export type TransferSettings = z.output<typeof transferSettingsSchema>;

/** What the merged layers provide before validation (values may still be strings). */
export type SettingsDraft = z.input<typeof settingsSchema>;
/** The complete, validated settings of one cycle. */
export type Settings = z.output<typeof settingsSchema>;

/** The secret values in `settings`, to register with the SecretRedactor. */
/** `source -> destination` as configured (names or ids): the pair in log lines and headings. */
export function pairLabel(settings: Pick<Settings, "source" | "destination">): string {
  const name = (ref: Settings["source"]): string => ("id" in ref ? ref.id : ref.name);
  return `${name(settings.source)} -> ${name(settings.destination)}`;
}

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

/**
 * A printable copy (doctor, status, reports): secrets replaced, patterns as text.
 * @internal exported for the tests
 */
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
