import type { Logger } from "winston";
import type { Settings } from "../config/index.js";
import type { SecretRedactor } from "../logging/index.js";
import { NotificationLog } from "../state/notification-log.js";
import { collectAlerts, errorKeyPrefix, recoveryAlerts } from "./alerts.js";
import { type NotificationChannel, emailChannel, webhookChannel } from "./channels.js";
import { isDigestDue } from "./digest.js";
import type { NotificationInput } from "./notification-input.js";
import { renderMessage } from "./render-message.js";

type NotifySettings = Pick<
  Settings,
  | "notifyWebhookUrl"
  | "notifySmtpUrl"
  | "notifyEmailFrom"
  | "notifyEmailTo"
  | "notifyStuckHours"
  | "notifyPendingDays"
  | "notifyRepeatHours"
  | "notifyDigestHour"
>;

export interface NotifyOptions {
  settings: NotifySettings;
  /** `notificationLogPath(paths)`: where sent alerts are remembered. */
  logPath: string;
  logger: Logger;
  redactor: SecretRedactor;
  now?: () => Date;
  /** Each channel's overall deadline per message (default 10 s). */
  timeoutMs?: number;
  /** A shutdown request: sends in flight end at once, and their alerts stay due for the next cycle. */
  signal?: AbortSignal;
}

export interface NotifyResult {
  /** Alert keys delivered (and the digest's), empty when nothing was due or every channel failed. */
  sent: string[];
  /** Alerts held back because the same one went out less than notify_repeat_hours ago. */
  suppressed: number;
  /** Channels that failed, with their (redacted) reason. */
  failures: { channel: string; error: string }[];
}

const nothing = (): NotifyResult => ({ sent: [], suppressed: 0, failures: [] });

function channelsFor(settings: NotifySettings, timeoutMs?: number): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (settings.notifyWebhookUrl) channels.push(webhookChannel(settings.notifyWebhookUrl, { timeoutMs }));
  if (settings.notifySmtpUrl && settings.notifyEmailFrom && settings.notifyEmailTo.length > 0) {
    channels.push(emailChannel(settings.notifySmtpUrl, settings.notifyEmailFrom, settings.notifyEmailTo, { timeoutMs }));
  }
  return channels;
}

/**
 * Tells people about a finished cycle: its errors, work stuck past the thresholds, and (once a day,
 * if configured) a digest — by webhook and/or e-mail, redacted, each alert at most once per
 * notify_repeat_hours. Never throws: a notification that cannot be sent is logged, and the alerts
 * stay due for the next cycle. Dry runs and cycles skipped for the lock say nothing.
 */
export async function notifyCycle(input: NotificationInput, options: NotifyOptions): Promise<NotifyResult> {
  const { settings, logger, redactor } = options;
  const log = logger.child({ scope: "notify" });
  const channels = channelsFor(settings, options.timeoutMs);
  if (channels.length === 0 || input.dryRun || input.outcome === "skipped-locked") return nothing();
  try {
    return await deliver(input, options, channels);
  } catch (error) {
    log.warn(`notifications not sent: ${redactor.redact((error as Error).message)}`);
    return nothing();
  } finally {
    for (const channel of channels) channel.close();
  }
}

async function deliver(input: NotificationInput, options: NotifyOptions, channels: readonly NotificationChannel[]): Promise<NotifyResult> {
  const { settings, redactor } = options;
  const log = options.logger.child({ scope: "notify" });
  const now = (options.now ?? (() => new Date()))();
  const opened = await NotificationLog.open(options.logPath);
  if (opened.warning) log.warn(opened.warning);
  const sentLog = opened.log;

  const repeatMs = settings.notifyRepeatHours * 3_600_000;
  const alerts = collectAlerts(input, { stuckHours: settings.notifyStuckHours, pendingDays: settings.notifyPendingDays }, now);
  const recovered = recoveryAlerts(input, sentLog.keysStartingWith(errorKeyPrefix(input)));
  const due = [...alerts.filter((alert) => sentLog.isDue(alert.key, now, repeatMs)), ...recovered];
  const digestKey = `digest:${input.source.id}>${input.destination.id}`;
  const digest = isDigestDue(settings.notifyDigestHour, sentLog.lastSent(digestKey), now);
  const result: NotifyResult = { sent: [], suppressed: alerts.length - (due.length - recovered.length), failures: [] };
  if (due.length === 0 && !digest) return result;

  const message = renderMessage(input, due, digest);
  const redacted = { subject: redactor.redact(message.subject), text: redactor.redact(message.text) };
  const outcomes = await Promise.allSettled(channels.map((channel) => channel.send(redacted, options.signal)));
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") return;
    const error = redactor.redact((outcome.reason as Error).message);
    result.failures.push({ channel: channels[i]?.name ?? "?", error });
    log.warn(`${channels[i]?.name} notification failed: ${error}`);
  });
  if (result.failures.length === channels.length) return result;

  result.sent = [...due.map((a) => (a.kind === "recovered" ? `recovered:${a.key}` : a.key)), ...(digest ? [digestKey] : [])];
  sentLog.markSent(result.sent.filter((key) => !key.startsWith("recovered:")), now);
  sentLog.forget(recovered.map((a) => a.key));
  try {
    await sentLog.save(now);
  } catch (error) {
    log.warn(`cannot write ${sentLog.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): alerts may repeat`);
  }
  const recoveries = recovered.length > 0 ? `, ${recovered.length} recovery(ies)` : "";
  log.info(`notified ${channels.length - result.failures.length} channel(s): ${due.length - recovered.length} alert(s)${recoveries}${digest ? " and the daily digest" : ""}`);
  return result;
}
