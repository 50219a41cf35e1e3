import type { SendMailOptions, Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { Message } from "./render-message.js";

/** Where a message goes. `send` rejects with a message that names no secret (the caller redacts it anyway). */
export interface NotificationChannel {
  readonly name: "webhook" | "email";
  /**
   * Sends within the channel's overall deadline, whatever the peer does (a server that trickles
   * bytes resets idle timeouts, never this one); `signal` (a shutdown request) ends it sooner.
   */
  send(message: Message, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/** Per channel and message, from the first byte to the last: the cycle holds the state lock meanwhile. */
const defaultNotifyTimeoutMs = 10_000;

/** The channel's deadline, cut short by the caller's signal. */
function sendSignal(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([deadline, signal]) : deadline;
}

/** Why a send was cut short, if it was: the deadline or a shutdown request. */
function abortReason(signal: AbortSignal, timeoutMs: number): string | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === "TimeoutError" ? `it did not finish within ${Math.round(timeoutMs / 1000)} s` : "stopped on request";
}

/** The reason of a failed fetch, without its URL: `fetch failed` alone says nothing. */
function reachError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return abortReason(signal, timeoutMs) ?? cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * A Slack or Teams incoming webhook: both accept `{"text": …}`, and both render newlines. The URL is
 * the credential, so no message here contains it.
 */
export function webhookChannel(url: string, opts: { timeoutMs?: number } = {}): NotificationChannel {
  const timeout = opts.timeoutMs ?? defaultNotifyTimeoutMs;
  return {
    name: "webhook",
    async send(message, signal) {
      // Covers the answer's body too: fetch aborts the body stream on the same signal.
      const stop = sendSignal(timeout, signal);
      let response: Response;
      let body: string;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text: `${message.subject}\n\n${message.text}` }),
          signal: stop,
          // A redirect would send the message to a host nobody configured.
          redirect: "error",
        });
        body = (await response.text()).trim().slice(0, 200);
      } catch (error) {
        throw new Error(`cannot reach the webhook (${reachError(error, stop, timeout)}): check notify_webhook_url and the network`);
      }
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
    // The idle timeouts stay as a first line; socketCloseTimeout 0 destroys the socket of an aborted
    // send at once instead of waiting for a server that may never close its side. (Both options, and
    // `signal` below, are nodemailer 10's, newer than its type definitions.)
    const options: SMTPTransport.Options & { url: string; socketCloseTimeout: number } = {
      url: smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      socketCloseTimeout: 0,
    };
    transport ??= nodemailer.createTransport(options);
    return transport;
  };
  return {
    name: "email",
    async send(message, signal) {
      const stop = sendSignal(timeout, signal);
      const mail: SendMailOptions & { signal: AbortSignal } = { from, to: [...to], subject: message.subject, text: message.text, signal: stop };
      try {
        await (await transportFor()).sendMail(mail);
      } catch (error) {
        const reason = abortReason(stop, timeout) ?? (error as Error).message;
        throw new Error(`the mail server refused or failed (${reason}): check notify_smtp_url, notify_email_from and notify_email_to`);
      }
    },
    close: () => transport?.close(),
  };
}
