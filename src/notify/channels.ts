import type { Transporter } from "nodemailer";
import type { Message } from "./render-message.js";

/** Where a message goes. `send` rejects with a message that names no secret (the caller redacts it anyway). */
export interface NotificationChannel {
  readonly name: "webhook" | "email";
  send(message: Message): Promise<void>;
  close(): void;
}

export const defaultNotifyTimeoutMs = 10_000;

/** The reason of a failed fetch, without its URL: `fetch failed` alone says nothing. */
function reachError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === "TimeoutError") return "it did not answer in time";
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * A Slack or Teams incoming webhook: both accept `{"text": …}`, and both render newlines. The URL is
 * the credential, so no message here contains it.
 */
export function webhookChannel(url: string, opts: { timeoutMs?: number } = {}): NotificationChannel {
  return {
    name: "webhook",
    async send(message) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text: `${message.subject}\n\n${message.text}` }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? defaultNotifyTimeoutMs),
          // A redirect would send the message to a host nobody configured.
          redirect: "error",
        });
      } catch (error) {
        throw new Error(`cannot reach the webhook (${reachError(error)}): check notify_webhook_url and the network`);
      }
      const body = (await response.text()).trim().slice(0, 200);
      if (!response.ok) {
        throw new Error(`the webhook answered HTTP ${response.status}${body ? ` (${body})` : ""}: check notify_webhook_url`);
      }
    },
    close() {},
  };
}

/**
 * E-mail through the SMTP server of `smtpUrl` (user and password in the URL). nodemailer is loaded on
 * the first message, not with the cycle: most cycles send none, and it weighs ~12 MB of RSS.
 */
export function emailChannel(smtpUrl: string, from: string, to: readonly string[], opts: { timeoutMs?: number } = {}): NotificationChannel {
  const timeout = opts.timeoutMs ?? defaultNotifyTimeoutMs;
  let transport: Transporter | undefined;
  const transportFor = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import("nodemailer");
    transport ??= nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
    return transport;
  };
  return {
    name: "email",
    async send(message) {
      try {
        await (await transportFor()).sendMail({ from, to: [...to], subject: message.subject, text: message.text });
      } catch (error) {
        throw new Error(`the mail server refused or failed (${(error as Error).message}): check notify_smtp_url, notify_email_from and notify_email_to`);
      }
    },
    close: () => transport?.close(),
  };
}
