import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, SecretRedactor } from "../../src/logging/index.js";
import { metricName, MetricsExporter, parseExposition } from "../../src/metrics/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { smtpPassword, smtpUser, startSmtpReceiver, startWebhookReceiver, webhookPath, type SmtpReceiver, type WebhookReceiver } from "../notify/receivers.js";
import { cycleAt, cycleSettings, LogSink, startCycleSimulator, tempStateDir, testApiKey, testToken } from "./cycle-harness.js";

let sim: Simulator;
let state: Awaited<ReturnType<typeof tempStateDir>>;
let webhook: WebhookReceiver;
let smtp: SmtpReceiver;
beforeEach(async () => {
  [sim, state, webhook, smtp] = await Promise.all([startCycleSimulator(), tempStateDir(), startWebhookReceiver(), startSmtpReceiver()]);
});
afterEach(async () => {
  await Promise.all([sim.stop(), state.remove(), webhook.close(), smtp.close()]);
});

const notifying = () => ({
  notifyWebhookUrl: webhook.url,
  notifySmtpUrl: smtp.url,
  notifyEmailFrom: "ICA orchestrator <orchestrator@example.org>",
  notifyEmailTo: ["lab@example.org"],
});
const simNow = () => new Date(sim.clock.now());
const secrets = [testApiKey, testToken, webhookPath, smtpPassword, encodeURIComponent(smtpPassword)];

describe("a cycle tells people and monitoring how it went", () => {
  it("sends a cycle's failures to the webhook and by e-mail, without secrets, and not again on the next cycle", async () => {
    // Every linking item fails: the new analyses are reported as not managed, cycle after cycle.
    sim.setFaults({ linkItemFailures: { rate: 1 } });
    const settings = cycleSettings(sim, state.dir, notifying());
    const sink = new LogSink();

    const dry = await cycleAt(simNow, { ...settings, dryRun: true }, sink);
    expect(dry.errors).toEqual([]);
    expect(webhook.posts).toEqual([]);

    const first = await cycleAt(simNow, settings, sink);
    expect(first.outcome).toBe("failures");
    expect(webhook.posts).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    const posted = (webhook.posts[0]?.body as { text: string }).text;
    const mail = smtp.mails[0];
    for (const error of first.errors.slice(0, 3)) {
      expect(posted).toContain(error);
      expect(mail?.text).toContain(error);
    }
    expect(mail).toMatchObject({ from: "orchestrator@example.org", to: ["lab@example.org"], user: smtpUser });
    expect(mail?.subject).toMatch(/core-bssh-runs/);

    const second = await cycleAt(simNow, settings, sink);
    expect(second.outcome).toBe("failures");
    expect(webhook.posts).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);

    const sent = [...webhook.posts.map((p) => JSON.stringify(p.body)), ...smtp.mails.map((m) => `${m.subject}\n${m.text}`)];
    const everything = `${sent.join("\n")}\n${sink.text}\n${await readFile(join(state.dir, "notifications.json"), "utf8")}`;
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it("publishes each cycle's figures, the pending analyses among them, to the metrics exporter", async () => {
    const sink = new LogSink();
    const redactor = new SecretRedactor();
    const file = join(state.dir, "ica_orchestrator.prom");
    const metrics = await MetricsExporter.start({ file, logger: createLogger({ redactor, console: { stream: sink, colors: false } }) });
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 0 });
    await cycleAt(simNow, { ...settings, dryRun: true }, sink, undefined, { metrics });
    expect(metrics.render()).toBe("");

    const pair = { source: "core-bssh-runs", destination: "mgi-fastq-delivery" };
    const exposed = async () => parseExposition(await readFile(file, "utf8"));
    // The first cycle delivers (a0000013 among them)…
    const delivering = await cycleAt(simNow, settings, sink, undefined, { metrics });
    const linked = delivering.actions.filter((a) => a.action === "link" && a.result === "ok").reduce((n, a) => n + a.ids.length, 0);
    const actions = (await exposed()).find((f) => f.name === metricName("cycle_actions"))?.samples ?? [];
    expect(actions).toContainEqual({ name: metricName("cycle_actions"), labels: { ...pair, action: "link", result: "ok" }, value: linked });

    // …the second may retire what it delivered (a0000013's archived output: ICA refuses to delete it as
    // it is), the third pays for its unarchive.
    await cycleAt(simNow, settings, sink, undefined, { metrics });
    const report = await cycleAt(simNow, settings, sink, undefined, { metrics });
    const families = await exposed();
    const samples = (key: Parameters<typeof metricName>[0]) => families.find((f) => f.name === metricName(key))?.samples ?? [];
    expect(samples("cycle_outcome")).toContainEqual({ name: metricName("cycle_outcome"), labels: { ...pair, outcome: report.outcome }, value: 1 });
    // Rows 4 and 5 of the demo are still running; a0000013's output was asked to unarchive, to be deleted.
    expect(samples("pending")).toContainEqual({ name: metricName("pending"), labels: { ...pair, kind: "analysis" }, value: 2 });
    expect(samples("pending")).toContainEqual({ name: metricName("pending"), labels: { ...pair, kind: "ica-delete" }, value: 1 });
  });
});
