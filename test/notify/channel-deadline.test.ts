import { afterEach, describe, expect, it } from "vitest";
import { emailChannel, webhookChannel, type NotificationChannel } from "../../src/notify/channels.js";
import { startTricklingSmtpServer, startTricklingWebhook, type TricklingReceiver } from "./receivers.js";

const message = { subject: "[ica-orchestrator] 1 error", text: "something failed" };

let receiver: TricklingReceiver | undefined;
let channel: NotificationChannel | undefined;
afterEach(async () => {
  channel?.close();
  await receiver?.close();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const channels = {
  email: async () => {
    receiver = await startTricklingSmtpServer();
    return emailChannel(receiver.url, "orchestrator@example.org", ["lab@example.org"], { timeoutMs: 1_000 });
  },
  webhook: async () => {
    receiver = await startTricklingWebhook();
    return webhookChannel(receiver.url, { timeoutMs: 1_000 });
  },
};

describe("a notification channel's overall deadline", () => {
  it.each(["email", "webhook"] as const)("%s: a peer that trickles bytes cannot hold the send past it, and no socket is left open", async (name) => {
    channel = await channels[name]();
    await expect(channel.send(message)).rejects.toThrow(/\(it did not finish within 1 s\)/);
    expect(receiver?.trickling()).toBe(true);
    await until(() => receiver?.openConnections() === 0);
  });

  it.each(["email", "webhook"] as const)("%s: a shutdown request ends the send at once", async (name) => {
    channel = await channels[name]();
    const shutdown = new AbortController();
    const sending = channel.send(message, shutdown.signal);
    await until(() => receiver?.trickling() === true);
    shutdown.abort(new Error("SIGTERM received"));
    await expect(sending).rejects.toThrow(/\(stopped on request\)/);
  });
});
