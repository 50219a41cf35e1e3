import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { settingDefaults, settingsSchema, settingsSecrets, type Settings, type SettingsDraft } from "../../src/config/index.js";
import { SecretRedactor, createLogger } from "../../src/logging/index.js";
import { errorKey, notificationInputFrom, notifyCycle, type NotificationInput, type ReportFacts } from "../../src/notify/index.js";
import { emptyJournal } from "../../src/state/journal-schema.js";
import { LogSink } from "../orchestrator/cycle-settings.js";
import { smtpPassword, smtpUser, startSmtpReceiver, startWebhookReceiver, webhookPath, type SmtpReceiver, type WebhookReceiver } from "./receivers.js";

const apiKey = "ICA-APIKEY-notify-test-7c3e1a9b5d";
const now = new Date("2025-06-10T12:00:00Z");
const hoursAgo = (h: number, from = now): string => new Date(from.getTime() - h * 3_600_000).toISOString();

let dir: string;
let webhook: WebhookReceiver;
let smtp: SmtpReceiver;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-notify-"));
  [webhook, smtp] = await Promise.all([startWebhookReceiver(), startSmtpReceiver()]);
});
afterEach(async () => {
  await Promise.all([webhook.close(), smtp.close(), rm(dir, { recursive: true, force: true })]);
});

function settings(overrides: Partial<SettingsDraft> = {}): Settings {
  return settingsSchema.parse({
    ...settingDefaults,
    source: { name: "core-bssh-runs" },
    destination: { name: "mgi-fastq-delivery" },
    apiKey,
    stateDir: dir,
    notifyWebhookUrl: webhook.url,
    notifySmtpUrl: smtp.url,
    notifyEmailFrom: "ICA orchestrator <orchestrator@example.org>",
    notifyEmailTo: ["lab@example.org", "pi@example.org"],
    ...overrides,
  });
}

const report = (errors: string[], extra: Partial<ReportFacts> = {}): ReportFacts => ({
  cycleId: "2025-06-10T11-58-00.000Z-ab12",
  outcome: errors.length > 0 ? "failures" : "ok",
  dryRun: false,
  finishedAt: now.toISOString(),
  source: { id: "src-1", name: "core-bssh-runs" },
  destination: { id: "dst-1", name: "mgi-fastq-delivery" },
  errors,
  steps: [{ counts: { linked: 12, manifests: 1 } }, { counts: { archived: 3, linked: 2 } }],
  reportPath: "/state/reports/2025-06-10T11-58-00.000Z-ab12.json",
  ...extra,
});

/** A cycle with one error that quotes the API key, an old linking batch and an analysis queued for four days. */
function failingCycle(extra: Partial<ReportFacts> = {}): NotificationInput {
  const journal = emptyJournal();
  journal.managing["an-1"] = { runId: "run_A", step: "link", linkBatchIds: ["b-1"], linkedDataIds: [], startedAt: hoursAgo(30), updatedAt: hoursAgo(29) };
  journal.managing["an-2"] = { step: "manifest", linkBatchIds: [], linkedDataIds: [], startedAt: hoursAgo(1), updatedAt: hoursAgo(1) };
  journal.basespaceRestores["ds.1"] = { kind: "dataset", requestedAt: hoursAgo(30) };
  const pending = [{ id: "an-9", reference: "run_Q-BclConvert-an-9", status: "QUEUED", timeCreated: hoursAgo(4 * 24) }];
  return notificationInputFrom(report([`upload of manifest failed: 403 for key ${apiKey}`], extra), journal, pending);
}

function harness(overrides: Partial<SettingsDraft> = {}) {
  const s = settings(overrides);
  const redactor = new SecretRedactor(settingsSecrets(s));
  const sink = new LogSink();
  const logger = createLogger({ redactor, level: "debug", console: { stream: sink, colors: false } });
  const logPath = join(dir, "notifications.json");
  const run = (input: NotificationInput, at = now) => notifyCycle(input, { settings: s, logPath, logger, redactor, now: () => at, timeoutMs: 2_000 });
  return { run, sink, logPath };
}

const webhookText = (i = 0): string => (webhook.posts[i]?.body as { text: string }).text;

describe("notify/notifyCycle", () => {
  it("sends errors and stuck work to the webhook and by e-mail, redacted, and remembers what it sent", async () => {
    const { run, sink, logPath } = harness();
    const result = await run(failingCycle());
    expect(result).toEqual({
      sent: [errorKey("src-1>dst-1", `upload of manifest failed: 403 for key ${apiKey}`), "stuck:analysis:an-9", "stuck:managing:an-1"],
      suppressed: 0,
      failures: [],
    });
    expect(webhook.posts).toHaveLength(1);
    expect(webhook.posts[0]).toMatchObject({ path: webhookPath, contentType: "application/json" });
    expect(Object.keys(webhook.posts[0]?.body as object)).toEqual(["text"]);
    const text = webhookText();
    expect(text.split("\n")).toEqual([
      "[ica-orchestrator] core-bssh-runs → mgi-fastq-delivery: 1 error, 2 items stuck",
      "",
      "ica-orchestrator, core-bssh-runs → mgi-fastq-delivery: cycle 2025-06-10T11-58-00.000Z-ab12 ended failures at 2025-06-10T12:00:00.000Z",
      "",
      "Errors (1):",
      "• upload of manifest failed: 403 for key [REDACTED]",
      "",
      "Stuck (2):",
      "• analysis run_Q-BclConvert-an-9 is still QUEUED, for 4.0 d",
      "• managing run_A (an-1) is at step link (linking batch b-1), for 30 h",
      "",
      "Report: /state/reports/2025-06-10T11-58-00.000Z-ab12.json",
    ]);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail).toMatchObject({ from: "orchestrator@example.org", to: ["lab@example.org", "pi@example.org"], user: smtpUser });
    expect(mail?.subject).toBe("[ica-orchestrator] core-bssh-runs → mgi-fastq-delivery: 1 error, 2 items stuck");
    expect(mail?.text.trimEnd()).toBe(text.split("\n").slice(2).join("\n"));
    for (const secret of [apiKey, smtpPassword, webhookPath]) {
      expect(text).not.toContain(secret);
      expect(mail?.raw).not.toContain(secret);
      expect(sink.text).not.toContain(secret);
    }
    expect(sink.text).toMatch(/notified 2 channel\(s\): 3 alert\(s\)/);
    const stored = await readFile(logPath, "utf8");
    expect(stored).not.toContain(apiKey);
    expect((JSON.parse(stored) as { sent: Record<string, string> }).sent).toEqual(Object.fromEntries(result.sent.map((key) => [key, now.toISOString()])));
  });

  it("does not repeat an alert within notify_repeat_hours, but sends new ones and repeats old ones after", async () => {
    const { run } = harness({ notifyWebhookUrl: undefined });
    await run(failingCycle());
    const later = new Date(now.getTime() + 3_600_000);
    // The same error with other numbers is the same recurring problem.
    const same = failingCycle({ errors: [`upload of manifest failed: 404 for key ${apiKey}`] });
    expect(await run(same, later)).toEqual({ sent: [], suppressed: 3, failures: [] });
    const fresh = failingCycle({ errors: ["link batch b-7 failed for analysis an-7"] });
    const second = await run(fresh, later);
    expect(second.sent).toEqual([errorKey("src-1>dst-1", "link batch b-7 failed for analysis an-7")]);
    expect(errorKey("p", "link batch b-7 failed")).not.toBe(errorKey("p", "link batch b-8 failed"));
    expect(errorKey("p", "3 of 10 items failed (1.5 GB)")).toBe(errorKey("p", "4 of 10 items failed (2.25 GB)"));
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]?.text).not.toContain("Stuck");
    const nextDay = new Date(now.getTime() + 24 * 3_600_000);
    expect((await run(same, nextDay)).sent).toEqual([errorKey("src-1>dst-1", same.errors[0] ?? ""), "stuck:analysis:an-9", "stuck:managing:an-1", "stuck:managing:an-2"]);
  });

  it("keeps going when one channel fails, and keeps the alerts due when all fail", async () => {
    webhook.status = 500;
    const { run, sink } = harness();
    const partly = await run(failingCycle());
    expect(partly.failures).toEqual([{ channel: "webhook", error: "the webhook answered HTTP 500 (invalid_token): check notify_webhook_url" }]);
    expect(partly.sent).toHaveLength(3);
    expect(sink.text).toMatch(/warn.*webhook notification failed: the webhook answered HTTP 500/);

    const broken = harness({ notifySmtpUrl: smtp.url.replace(encodeURIComponent(smtpPassword), "wrong-password") });
    const later = new Date(now.getTime() + 25 * 3_600_000);
    const none = await broken.run(failingCycle(), later);
    expect(none.sent).toEqual([]);
    expect(none.failures.map((f) => f.channel)).toEqual(["webhook", "email"]);
    expect(none.failures[1]?.error).toMatch(/^the mail server refused or failed \(Invalid login: 535/);
    webhook.status = 200;
    // Still due a day later, now with the manifest step of an-2 stuck too.
    expect((await broken.run(failingCycle(), later)).sent).toEqual([...partly.sent, "stuck:managing:an-2"]);
    expect(broken.sink.text).not.toContain("wrong-password");
  });

  it("never throws: an unreachable webhook and a broken log file are logged", async () => {
    const closed = await startWebhookReceiver();
    await closed.close();
    const { run, sink, logPath } = harness({ notifyWebhookUrl: closed.url, notifySmtpUrl: undefined, notifyEmailFrom: undefined, notifyEmailTo: [] });
    await writeFile(logPath, "{ not json");
    const result = await run(failingCycle());
    expect(result.sent).toEqual([]);
    expect(result.failures).toEqual([{ channel: "webhook", error: "cannot reach the webhook (ECONNREFUSED): check notify_webhook_url and the network" }]);
    expect(sink.text).toMatch(/notifications\.json is not JSON: starting it afresh, so alerts may repeat once/);
    expect(sink.text).not.toContain(webhookPath);
  });

  it("says nothing for dry runs, cycles skipped for the lock, quiet cycles, or when no channel is configured", async () => {
    const { run } = harness();
    expect((await run(failingCycle({ dryRun: true }))).sent).toEqual([]);
    expect((await run(failingCycle({ outcome: "skipped-locked" }))).sent).toEqual([]);
    expect((await run(notificationInputFrom(report([]), emptyJournal(), []))).sent).toEqual([]);
    const silent = harness({ notifyWebhookUrl: undefined, notifySmtpUrl: undefined, notifyEmailFrom: undefined, notifyEmailTo: [] });
    expect((await silent.run(failingCycle())).sent).toEqual([]);
    expect(webhook.posts).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
  });

  it("sends the daily digest with the first cycle at or after the digest hour, once a day", async () => {
    const { run } = harness({ notifyDigestHour: 8, notifySmtpUrl: undefined, notifyEmailFrom: undefined, notifyEmailTo: [] });
    const quiet = notificationInputFrom(report([]), emptyJournal(), [{ id: "an-9", reference: "run_Q", status: "IN_PROGRESS", timeCreated: hoursAgo(2) }]);
    const at = (hour: number, minute = 0, day = 10) => new Date(2025, 5, day, hour, minute);
    expect((await run(quiet, at(7, 50))).sent).toEqual(["digest:src-1>dst-1"]);
    expect((await run(quiet, at(7, 55))).sent).toEqual([]);
    expect((await run(quiet, at(8, 0))).sent).toEqual(["digest:src-1>dst-1"]);
    expect((await run(quiet, at(20, 0))).sent).toEqual([]);
    expect((await run(quiet, at(8, 5, 11))).sent).toEqual(["digest:src-1>dst-1"]);
    expect(webhook.posts).toHaveLength(3);
    expect(webhookText(2).split("\n")).toEqual([
      "[ica-orchestrator] core-bssh-runs → mgi-fastq-delivery: daily digest",
      "",
      "ica-orchestrator, core-bssh-runs → mgi-fastq-delivery: cycle 2025-06-10T11-58-00.000Z-ab12 ended ok at 2025-06-10T12:00:00.000Z",
      "",
      "Daily digest: linked 14, manifests 1, archived 3",
      "",
      "Waiting (1):",
      "• analysis run_Q is still IN_PROGRESS",
      "",
      "Report: /state/reports/2025-06-10T11-58-00.000Z-ab12.json",
    ]);
  });
});
