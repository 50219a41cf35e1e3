import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadLocalSettings } from "../../src/config/load-settings.js";
import { describeSettings, settingDefaults, settingsSecrets } from "../../src/config/settings.js";
import { compileUserPattern } from "../../src/config/user-pattern.js";
import { configSandbox, projects, type ConfigSandbox } from "./helpers.js";

let box: ConfigSandbox;
beforeEach(async () => {
  box = await configSandbox();
});
afterEach(async () => {
  await box.cleanup();
});

const bsCfg = (server: string, token: string): string => `apiServer   = ${server}\naccessToken = ${token}\n`;

describe("config/load-settings precedence", () => {
  it("takes iCredit prices as decimal text (flags and the environment give strings)", async () => {
    const { settings } = await box.load({ ...projects, icredits_standard_tb_month: "18.75", icredits_archive_per_tb: "0" }, { ICA_API_KEY: "env-key" });
    expect(settings[0]).toMatchObject({ icreditsStandardTbMonth: 18.75, icreditsArchivePerTb: 0, icreditsRestorePerTb: 30 });
  });

  it("fills everything else from the defaults", async () => {
    const { settings, warnings } = await box.load(projects, { ICA_API_KEY: "env-key" });
    expect(warnings).toEqual([]);
    expect(settings).toHaveLength(1);
    expect(settings[0]).toEqual({
      source: { name: "BSSH_Runs" },
      destination: { name: "MGI_Delivery" },
      apiKey: "env-key",
      icaBaseUrl: settingDefaults.icaBaseUrl,
      basespace: undefined,
      stateDir: join(box.cwd, ".ica-orchestrator"),
      managedTablePath: join(box.cwd, ".ica-orchestrator", "analyses_managed_table.txt"),
      daysToArchive: 60,
      daysToDelete: 90,
      fastqPattern: compileUserPattern("^M"),
      fastqSuffixes: [".fastq", ".fastq.gz", ".fq", ".fq.gz", ".fastq.ora"],
      bclConvertPattern: compileUserPattern("/bcl.*convert/i"),
      basespaceRuns: "all",
      emptyTrash: "own-only",
      canary: "on",
      deleteCap: 500,
      protect: [],
      archivePolicy: "standard",
      icreditsStandardTbMonth: 22.5,
      icreditsArchiveTbMonth: 2,
      icreditsArchivePerTb: 20,
      icreditsRestorePerTb: 30,
      dryRun: false,
      concurrency: 8,
      requestTimeoutMs: 60_000,
      linkDeadlineMs: 900_000,
      logLevel: "info",
      logFormat: "text",
      logConsole: "all",
      requeueFailed: false,
      maxRequeues: 1,
      maxRequeuesPerCycle: 3,
      minDaysAfterDelivery: 7,
      keepReportsDays: 30,
      requeueWithinDays: 3,
      notifyEmailTo: [],
      notifyStuckHours: 24,
      notifyPendingDays: 3,
      notifyRepeatHours: 24,
      notifyDigestHour: null,
      metricsHost: "127.0.0.1",
      pollSeconds: 30,
      minDeliveryIntervalSeconds: 5,
    });
  });

  it("uses the Illumina CLIs' files over the defaults", async () => {
    await box.file("home/.icav2/config.yaml", "server-url: use1.ica.example.com\nx-api-key: yaml-key\noutput-format: table\n");
    await box.file("home/.basespace/default.cfg", "apiServer\t= https://api.euc1.sh.basespace.illumina.com\naccessToken =  cfg-token  \n");
    const [settings] = (await box.load(projects)).settings;
    expect(settings).toMatchObject({
      apiKey: "yaml-key",
      icaBaseUrl: "https://use1.ica.example.com",
      basespace: { apiServer: "https://api.euc1.sh.basespace.illumina.com", accessToken: "cfg-token" },
    });
  });

  it("uses the config file over the Illumina CLIs' files, with paths relative to the config file", async () => {
    await box.file("home/.icav2/config.yaml", "server-url: ica.illumina.com\nx-api-key: yaml-key\n");
    await box.file("home/.basespace/default.cfg", bsCfg("https://api.basespace.illumina.com", "cfg-token"));
    await box.file("etc/secrets/key", "config-key\n");
    await box.file("etc/secrets/bs.cfg", bsCfg("https://api.aps2.sh.basespace.illumina.com", "file-token"));
    const config = await box.file(
      "etc/orchestrator.json",
      JSON.stringify({
        ...{ source: "BSSH_Runs", destination: { id: "0c4c751a-3846-4d9c-8611-3483cfd3f0ed" } },
        api_key_file: "secrets/key",
        basespace_access_token_file: "secrets/bs.cfg",
        server_url: "https://ica.config.example/",
        state_dir: "state",
        days_to_archive: "off",
        days_to_delete: 120,
        protect: ["fil.1", "*_KEEP*"],
      }),
    );
    const [settings] = (await box.load({ config })).settings;
    expect(settings).toMatchObject({
      source: { name: "BSSH_Runs" },
      destination: { id: "0c4c751a-3846-4d9c-8611-3483cfd3f0ed" },
      apiKey: "config-key",
      icaBaseUrl: "https://ica.config.example",
      basespace: { apiServer: "https://api.aps2.sh.basespace.illumina.com", accessToken: "file-token" },
      stateDir: join(box.root, "etc", "state"),
      daysToArchive: null,
      daysToDelete: 120,
      protect: ["fil.1", "*_KEEP*"],
    });
  });

  it("uses the environment over the config file", async () => {
    await box.file("key-from-env", "env-file-key");
    const config = await box.file("c.json", JSON.stringify({ server_url: "https://config.example", api_key_file: "missing-and-unused" }));
    const env = {
      ICA_API_KEY_FILE: join(box.root, "key-from-env"),
      ICA_BASE_URL: "https://env.example",
      BASESPACE_ACCESS_TOKEN: "env-token",
      BASESPACE_API_SERVER: "https://bs.env.example",
      ICA_ORCHESTRATOR_CONFIG: config,
    };
    const { settings, configPath } = await box.load(projects, env);
    expect(configPath).toBe(config);
    expect(settings[0]).toMatchObject({
      apiKey: "env-file-key",
      icaBaseUrl: "https://env.example",
      basespace: { apiServer: "https://bs.env.example", accessToken: "env-token" },
    });
  });

  it("uses flags over the environment, with paths relative to the working directory", async () => {
    await box.file("work/flag.key", "flag-key\n");
    await box.file("work/bs.cfg", bsCfg("https://bs.flag.example", "flag-token"));
    const flags = {
      ...projects,
      api_key_file: "flag.key",
      basespace_access_token_file: "bs.cfg",
      server_url: "https://flag.example",
      analyses_managed_table: "analyses_managed_table.txt",
      days_to_archive: "30",
      days_to_delete: "45",
      dry_run: true,
    };
    const env = { ICA_API_KEY: "env-key", ICA_BASE_URL: "https://env.example", BASESPACE_ACCESS_TOKEN: "env-token" };
    const [settings] = (await box.load(flags, env)).settings;
    expect(settings).toMatchObject({
      apiKey: "flag-key",
      icaBaseUrl: "https://flag.example",
      basespace: { apiServer: "https://bs.flag.example", accessToken: "flag-token" },
      managedTablePath: join(box.cwd, "analyses_managed_table.txt"),
      daysToArchive: 30,
      daysToDelete: 45,
      dryRun: true,
    });
  });

  it("accepts the original tool's snake_case flags, kebab-case and commander's camelCase alike", async () => {
    await box.file("work/key", "k");
    const snake = { source_project_id: "s-id", destination_project_name: "D", api_key_file: "key", days_to_delete: "80", dry_run: true };
    const kebab = { "source-project-id": "s-id", "destination-project-name": "D", "api-key-file": "key", "days-to-delete": "80", "dry-run": true };
    const camel = { sourceProjectId: "s-id", destinationProjectName: "D", apiKeyFile: "key", daysToDelete: "80", dryRun: true };
    const loaded = await Promise.all([snake, kebab, camel].map((flags) => box.load(flags)));
    expect(loaded[1]).toEqual(loaded[0]);
    expect(loaded[2]).toEqual(loaded[0]);
    expect(loaded[0]?.settings[0]).toMatchObject({ source: { id: "s-id" }, daysToDelete: 80, dryRun: true });
  });

  it("does not read a lower layer's file that a higher layer makes unnecessary", async () => {
    await box.file("home/.icav2/config.yaml", "x-api-key: [unclosed\n");
    await box.file("home/.basespace/default.cfg", bsCfg("https://api.basespace.illumina.com", "t"));
    const [settings] = (await box.load({ ...projects, server_url: "https://f.example" }, { ICA_API_KEY: "k" })).settings;
    expect(settings?.apiKey).toBe("k");
    await expect(box.load(projects)).rejects.toThrow(/icav2 config file .* is not valid YAML/);
  });

  it("treats BaseSpace as optional: no token anywhere, or a default.cfg without one", async () => {
    expect((await box.load(projects, { ICA_API_KEY: "k" })).settings[0]?.basespace).toBeUndefined();
    await box.file("home/.basespace/default.cfg", "apiServer = https://api.basespace.illumina.com\n");
    expect((await box.load(projects, { ICA_API_KEY: "k" })).settings[0]?.basespace).toBeUndefined();
  });

  it("reports a key file readable by others once, as a warning with the fix", async () => {
    const key = await box.file("work/key", "k\r\n", 0o644);
    const { settings, warnings } = await box.load({ ...projects, api_key_file: key });
    expect(settings[0]?.apiKey).toBe("k");
    expect(warnings).toEqual([`API key file ${key} is accessible by other users (mode 0644): run chmod 600 ${key}`]);
  });
});

describe("config/settings helpers", () => {
  it("splits protect entries from repeated flags and commas alike", async () => {
    const [settings] = (await box.load({ ...projects, protect: ["fil.1,fil.2", " *_KEEP* "] }, { ICA_API_KEY: "k" })).settings;
    expect(settings?.protect).toEqual(["fil.1", "fil.2", "*_KEEP*"]);
  });

  it("lists the secrets for the redactor and prints settings without them", async () => {
    const env = { ICA_API_KEY: "the-api-key", BASESPACE_ACCESS_TOKEN: "the-token" };
    const [settings] = (await box.load(projects, env)).settings;
    expect(settingsSecrets(settings!)).toEqual(["the-api-key", "the-token"]);
    const printed = JSON.stringify(describeSettings(settings!));
    expect(printed).not.toMatch(/the-api-key|the-token/);
    expect(printed).toContain('"fastqPattern":"/^M/"');
  });
});

describe("config/load-settings requeue, notifications and metrics", () => {
  const webhook = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX";
  const smtp = "smtps://alerts:p%40ss-word@mail.example.org:465";

  it("reads them from the config file (metrics_file relative to it) and flags, and keeps the URLs secret", async () => {
    const config = await box.file(
      "etc/orchestrator.json",
      JSON.stringify({
        notify_webhook_url: webhook,
        notify_smtp_url: smtp,
        notify_email_from: "ICA orchestrator <seqcore@example.org>",
        notify_email_to: ["lab@example.org", "pi@example.org"],
        notify_digest_hour: 0,
        metrics_file: "metrics/ica.prom",
        requeue_within_days: "off",
      }),
    );
    const flags = { ...projects, config, requeue_failed: true, max_requeues: "2", notify_stuck_hours: "12", metrics_port: "9464" };
    const [settings] = (await box.load(flags, { ICA_API_KEY: "the-api-key" })).settings;
    expect(settings).toMatchObject({
      requeueFailed: true,
      maxRequeues: 2,
      requeueWithinDays: null,
      notifyWebhookUrl: webhook,
      notifySmtpUrl: smtp,
      notifyEmailFrom: "ICA orchestrator <seqcore@example.org>",
      notifyEmailTo: ["lab@example.org", "pi@example.org"],
      notifyStuckHours: 12,
      notifyDigestHour: 0,
      metricsFile: join(box.root, "etc", "metrics", "ica.prom"),
      metricsPort: 9464,
    });
    expect(settingsSecrets(settings!)).toEqual(["the-api-key", webhook, "/services/T000/B000/XXXXsecretXXXX", smtp, "p@ss-word", "alerts"]);
    const printed = JSON.stringify(describeSettings(settings!));
    expect(printed).not.toMatch(/XXXXsecretXXXX|p%40ss|alerts:/);
    expect(printed).toContain('"notifyWebhookUrl":"[REDACTED]"');
  });
});

describe("config/load-settings pairs", () => {
  async function pairsConfig(): Promise<string> {
    return box.file(
      "pairs.json",
      JSON.stringify({
        days_to_delete: 100,
        pairs: [
          { source: "Runs_A", destination: "Out_A" },
          { source: { id: "src-b" }, destination: { name: "Out_B" }, fastq_pattern: "/^mgi/i", days_to_archive: 30, analyses_managed_table: "b.txt" },
        ],
      }),
    );
  }

  it("produces one Settings per pair, with pair values over top-level ones", async () => {
    const config = await pairsConfig();
    const { settings } = await box.load({ config }, { ICA_API_KEY: "k" });
    expect(settings.map((s) => [s.source, s.destination, s.daysToArchive, s.daysToDelete, String(s.fastqPattern)])).toEqual([
      [{ name: "Runs_A" }, { name: "Out_A" }, 60, 100, "/^M/"],
      [{ id: "src-b" }, { name: "Out_B" }, 30, 100, "/^mgi/i"],
    ]);
    expect(settings[1]?.managedTablePath).toBe(join(box.root, "b.txt"));
  });

  it("lets project flags replace the pairs with one cycle, and flags override every pair", async () => {
    const config = await pairsConfig();
    const flags = { config, source_project_name: "X", destination_project_name: "Y", days_to_delete: 200 };
    const { settings } = await box.load(flags, { ICA_API_KEY: "k" });
    expect(settings).toHaveLength(1);
    expect(settings[0]).toMatchObject({ source: { name: "X" }, destination: { name: "Y" }, daysToDelete: 200 });
  });

  it("lets one project flag override one side of a single configured pair", async () => {
    const config = await box.file("one.json", JSON.stringify({ pairs: [{ source: "A", destination: "B", days_to_archive: 10 }] }));
    const { settings } = await box.load({ config, destination_project_id: "dest-id" }, { ICA_API_KEY: "k" });
    expect(settings[0]).toMatchObject({ source: { name: "A" }, destination: { id: "dest-id" }, daysToArchive: 10 });
  });
});

describe("config/load-settings loadLocalSettings", () => {
  it("resolves the state directory and logging without any credential", async () => {
    const local = await loadLocalSettings(box.input({ state_dir: "st", log_format: "json" }));
    expect(local).toEqual([
      { stateDir: join(box.cwd, "st"), managedTablePath: join(box.cwd, "st", "analyses_managed_table.txt"), logLevel: "info", logFormat: "json", logConsole: "all", dryRun: false, metricsHost: "127.0.0.1", canary: "on", pollSeconds: 30, minDeliveryIntervalSeconds: 5 },
    ]);
  });
});
