import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import type { Environment } from "../../src/config/environment.js";
import type { FlagInput } from "../../src/config/flags.js";
import { mergeLayers, settingsError, type Layer } from "../../src/config/layers.js";
import { settingDefaults, settingsSchema } from "../../src/config/settings.js";
import { configSandbox, projects, type ConfigSandbox } from "./helpers.js";

let box: ConfigSandbox;
beforeAll(async () => {
  box = await configSandbox();
  await box.file("work/key", "k");
  await box.file("work/empty.key", " \r\n");
  await box.file("work/two.key", "k1\nk2\n");
  await box.file("work/token.cfg", "apiServer = https://api.basespace.illumina.com\n");
  await box.file("work/bad.json", "{ nope");
  await box.file("work/unknown-top.json", JSON.stringify({ source: "A", destination: "B", dayz_to_delete: 3 }));
  await box.file("work/unknown-pair.json", JSON.stringify({ pairs: [{ source: "A", destination: "B" }, { source: "C", destination: "D", fastq_patern: "x" }] }));
  await box.file("work/inline-key.json", JSON.stringify({ source: "A", destination: "B", api_key: "abc" }));
  await box.file("work/source-type.json", JSON.stringify({ pairs: [{ source: 42, destination: "B" }] }));
  await box.file("work/pair-value.json", JSON.stringify({ pairs: [{ source: "A", destination: "B", days_to_delete: "soon" }] }));
  await box.file("work/both.json", JSON.stringify({ source: "A", destination: "B", pairs: [{ source: "C", destination: "D" }] }));
  await box.file("work/no-pairs.json", JSON.stringify({ pairs: [] }));
  await box.file("work/many.json", JSON.stringify({ pairs: [{ source: "A", destination: "B" }, { source: "C", destination: "D" }] }));
});
afterAll(async () => {
  await box.cleanup();
});

const withKey = { ...projects, api_key_file: "key" };
const cases: Array<[string, FlagInput, Environment, string | RegExp]> = [
  ["no source", { destination_project_name: "D", api_key_file: "key" }, {}, "source project is not set: pass --source_project_name NAME or --source_project_id ID, or set source in the config file"],
  ["no destination", { source_project_name: "S", api_key_file: "key" }, {}, /^destination project is not set: pass --destination_project_name/],
  ["same project twice", { source_project_id: "p1", destination_project_id: "p1", api_key_file: "key" }, {}, "destination project (from --destination_project_id): names the same project as the source: FASTQs are linked into another project, so give a different destination"],
  ["name and id for one side", { ...withKey, source_project_id: "p1" }, {}, "give either --source_project_name or --source_project_id, not both"],
  ["no API key anywhere", projects, {}, "ICA API key is not set: pass --api_key_file FILE, set ICA_API_KEY or ICA_API_KEY_FILE, or configure the icav2 CLI (~/.icav2/config.yaml)"],
  ["archive after delete", { ...withKey, days_to_archive: 100 }, {}, 'days_to_archive (from --days_to_archive): 100 is more than days_to_delete (90): lower it, or set it to "off" to delete without archiving'],
  ["archive days not a number", { ...withKey, days_to_archive: "abc" }, {}, 'days_to_archive (from --days_to_archive): expected a whole number of days (1 or more) or "off", got "abc"; e.g. --days_to_archive 60'],
  ["delete days zero", { ...withKey, days_to_delete: "0" }, {}, /^days_to_delete \(from --days_to_delete\): expected a whole number of days \(1 or more\), got "0"; e.g. --days_to_delete 90/],
  ["delete days negative", { ...withKey, days_to_delete: "-5" }, {}, /^days_to_delete \(from --days_to_delete\): expected a whole number of days \(1 or more\), got "-5"/],
  ["delete days fractional", { ...withKey, days_to_delete: 1.5 }, {}, /^days_to_delete .* got 1\.5;/],
  ["invalid FASTQ regex", { ...withKey, fastq_pattern: "M-(" }, {}, /^fastq_pattern \(from --fastq_pattern\): not a valid regular expression \(.*Unterminated group\); escape/],
  ["stateful regex flag", { ...withKey, bclconvert_pattern: "/bcl/g" }, {}, "bclconvert_pattern (from --bclconvert_pattern): not a valid regular expression (flags g and y are not allowed); escape ( [ . * + ? with a backslash to match them literally"],
  ["server URL not http", { ...withKey, server_url: "ftp://ica" }, {}, 'server_url (from --server_url): expected an http(s) URL such as https://ica.illumina.com, got "ftp://ica"; e.g. --server_url https://ica.illumina.com'],
  ["server URL with the API path", withKey, { ICA_BASE_URL: "https://ica.illumina.com/ica/rest/" }, "server_url (from ICA_BASE_URL): must name the server only, e.g. https://ica.illumina.com: the client appends /ica/rest itself"],
  ["BaseSpace server not a URL", withKey, { BASESPACE_ACCESS_TOKEN: "t", BASESPACE_API_SERVER: "api.basespace" }, /^basespace_api_server \(from BASESPACE_API_SERVER\): expected an http\(s\) URL/],
  ["unknown runs mode", { ...withKey, basespace_runs: "some" }, {}, 'basespace_runs (from --basespace_runs): expected one of all, related, none, got "some"; e.g. --basespace_runs related'],
  ["unknown trash mode", { ...withKey, empty_trash: "yes" }, {}, 'empty_trash (from --empty_trash): expected one of own-only, always, never, got "yes"; e.g. --empty_trash own-only'],
  ["unknown archive policy", { ...withKey, archive_policy: "cheap" }, {}, 'archive_policy (from --archive_policy): expected one of standard, cost-aware, got "cheap"; e.g. --archive_policy cost-aware'],
  ["price not a number", { ...withKey, icredits_standard_tb_month: "lots" }, {}, 'icredits_standard_tb_month (from --icredits_standard_tb_month): expected a number of iCredits (0 or more, e.g. 22.5), got "lots"; e.g. --icredits_standard_tb_month 22.5'],
  ["negative price", { ...withKey, icredits_restore_per_tb: -3 }, {}, /^icredits_restore_per_tb \(from --icredits_restore_per_tb\): expected a number of iCredits \(0 or more/],
  ["negative delete cap", { ...withKey, delete_cap: "-1" }, {}, /^delete_cap \(from --delete_cap\): expected a whole number \(0 = no deletions\)/],
  ["concurrency too high", { ...withKey, concurrency: 100 }, {}, "concurrency (from --concurrency): expected a whole number from 1 to 64, got 100; e.g. --concurrency 8"],
  ["request timeout too short", { ...withKey, request_timeout_ms: 10 }, {}, /^request_timeout_ms .* expected milliseconds, 1000 or more, got 10/],
  ["unknown log level", { ...withKey, log_level: "verbose" }, {}, 'log_level (from --log_level): expected one of error, warn, info, debug, got "verbose"; e.g. --log_level debug'],
  ["unknown log format", { ...withKey, log_format: "xml" }, {}, /^log_format .* expected one of text, json, got "xml"/],
  ["dry run not a boolean", { ...withKey, dry_run: "maybe" }, {}, /^dry_run .* expected true or false, got "maybe"/],
  ["events neither sqs nor http", { ...withKey, events: "ica-events" }, {}, 'events (from --events): "ica-events" is neither sqs://<queue-url> nor http://host:port/path'],
  ["events receiver without a port", { ...withKey, events: "http://0.0.0.0/ica" }, {}, "events (from --events): name the port the receiver listens on, e.g. http://0.0.0.0:8080/ica"],
  ["events receiver over https", { ...withKey, events: "https://0.0.0.0:8443/ica" }, {}, /^events \(from --events\): the receiver speaks plain http/],
  ["events queue URL without a queue", withKey, { ICA_ORCHESTRATOR_EVENTS: "sqs://https://sqs.eu-central-1.amazonaws.com/" }, "events (from ICA_ORCHESTRATOR_EVENTS): the queue URL after sqs:// must end in /<account>/<queue name>"],
  ["unknown flag", { ...withKey, "dry-run-now": true }, {}, "unknown option --dry-run-now: see --help for the options a cycle accepts"],
  ["a flag given in two spellings", { ...withKey, "days-to-delete": 5, days_to_delete: 6 }, {}, /^option --days_to_delete is given twice/],
  ["both key variables", projects, { ICA_API_KEY: "a", ICA_API_KEY_FILE: "b" }, "both ICA_API_KEY and ICA_API_KEY_FILE are set: unset one of them (in a container, -e ICA_API_KEY_FILE= clears the image's default)"],
  ["missing key file", { ...projects, api_key_file: "nope.key" }, {}, /^API key file .*nope\.key does not exist: create it or correct the path$/],
  ["empty key file", { ...projects, api_key_file: "empty.key" }, {}, /^API key file .*empty\.key is empty: put the ICA API key on its first line$/],
  ["key file with two keys", { ...projects, api_key_file: "two.key" }, {}, /^API key file .*two\.key has 2 non-empty lines: keep only the ICA API key, on one line$/],
  ["key file is a directory", { ...projects, api_key_file: "." }, {}, /^API key file .*work is a directory: give the path of the file itself$/],
  ["token file without a token", { ...withKey, basespace_access_token_file: "token.cfg" }, {}, /^BaseSpace token file .*token\.cfg has no accessToken entry: point to the file "bs auth" writes/],
  ["config file missing", { ...withKey, config: "absent.json" }, {}, /^config file .*absent\.json cannot be read \(ENOENT\): correct --config \/ ICA_ORCHESTRATOR_CONFIG$/],
  ["config file not JSON", { ...withKey, config: "bad.json" }, {}, /^config file .*bad\.json is not valid JSON \(.*\): fix the syntax$/],
  ["config unknown top-level key", { ...withKey, config: "unknown-top.json" }, {}, /^config file .*unknown-top\.json: unknown key dayz_to_delete; see the README's configuration table$/],
  ["config unknown key in a pair", { ...withKey, config: "unknown-pair.json" }, {}, /^config file .*: unknown key pairs\[1\]\.fastq_patern; a pair may set source, destination, fastq_pattern/],
  ["config holding a secret", { ...withKey, config: "inline-key.json" }, {}, /unknown key api_key; secrets do not belong in the config file: use api_key_file/],
  ["config project of the wrong type", { ...withKey, config: "source-type.json" }, {}, /^config file .*: pairs\[0\]\.source: expected a project name, \{"id": "…"\} or \{"name": "…"\}$/],
  ["config value wrong in a pair", { api_key_file: "key", config: "pair-value.json" }, {}, /^days_to_delete \(from config .*pair-value\.json pairs\[0\]\.days_to_delete\): expected a whole number of days \(1 or more\), got "soon"/],
  ["config with source and pairs", { ...withKey, config: "both.json" }, {}, /^config file .*both\.json: give either top-level source\/destination or pairs, not both$/],
  ["config with empty pairs", { ...withKey, config: "no-pairs.json" }, {}, /^config file .*no-pairs\.json: pairs must be a non-empty list/],
  ["requeues out of range", { ...withKey, max_requeues: "11" }, {}, 'max_requeues (from --max_requeues): expected a whole number from 0 to 10, got "11"; e.g. --max_requeues 1'],
  ["requeue window zero", { ...withKey, requeue_within_days: "0" }, {}, /^requeue_within_days \(from --requeue_within_days\): expected a whole number of days \(1 or more\) or "off", got "0"/],
  ["webhook not a URL, never echoed", { ...withKey, notify_webhook_url: "hooks.slack.com/services/T0/B0/sEcReT" }, {}, "notify_webhook_url (from --notify_webhook_url): expected an http(s) URL of a Slack or Teams incoming webhook; copy the webhook URL from the Slack/Teams app settings into notify_webhook_url in the config file"],
  ["mail server not smtp", { ...withKey, notify_smtp_url: "https://mail.example.org" }, {}, /^notify_smtp_url \(from --notify_smtp_url\): expected an smtp:\/\/ or smtps:\/\/ URL such as .*; set notify_smtp_url in the config file \(percent-encode @ : \/ in the password\)/],
  ["mail server without recipients", { ...withKey, notify_smtp_url: "smtp://mail.example.org", notify_email_from: "a@example.org" }, {}, "notify_smtp_url (from --notify_smtp_url): e-mail needs notify_email_to too: set them, or remove notify_smtp_url"],
  ["mail server alone", { ...withKey, notify_smtp_url: "smtp://u:pw@mail.example.org" }, {}, "notify_smtp_url (from --notify_smtp_url): e-mail needs notify_email_from and notify_email_to too: set them, or remove notify_smtp_url"],
  ["recipients without a mail server", { ...withKey, notify_email_to: "lab@example.org" }, {}, "notify_email_to (from --notify_email_to): no mail server to send through: set notify_smtp_url too, or remove this setting"],
  ["recipient not an address", { ...withKey, notify_smtp_url: "smtp://m.example.org", notify_email_from: "a@example.org", notify_email_to: "lab at example.org" }, {}, /^notify_email_to \(from --notify_email_to\): expected a list of e-mail addresses, got "lab at example.org"; e\.g\. --notify_email_to lab@example\.org,pi@example\.org$/],
  ["digest hour 24", { ...withKey, notify_digest_hour: "24" }, {}, /^notify_digest_hour \(from --notify_digest_hour\): expected an hour from 0 to 23 \(local time\) or "off", got "24"/],
  ["stuck hours zero", { ...withKey, notify_stuck_hours: "0" }, {}, /^notify_stuck_hours .* expected a whole number of hours \(1 or more\)/],
  ["metrics file not .prom", { ...withKey, metrics_file: "metrics.txt" }, {}, /^metrics_file \(from --metrics_file\): expected a file path ending in \.prom \(node_exporter's textfile collector reads only those\), got ".*metrics\.txt"; e\.g\./],
  ["metrics port out of range", { ...withKey, metrics_port: "70000" }, {}, 'metrics_port (from --metrics_port): expected a TCP port from 1 to 65535, got "70000"; e.g. --metrics_port 9464'],
  ["metrics host not an address", { ...withKey }, { ICA_ORCHESTRATOR_METRICS_HOST: "http://0.0.0.0" }, 'metrics_host (from ICA_ORCHESTRATOR_METRICS_HOST): expected an IP address or a host name of this machine, got "http://0.0.0.0"; e.g. --metrics_host 0.0.0.0'],
  ["one project flag with several pairs", { api_key_file: "key", config: "many.json", source_project_name: "X" }, {}, /^the config file lists 2 pairs, so a project flag must come with its counterpart/],
];

describe("config/load-settings bad input", () => {
  it(`covers at least 15 distinct mistakes (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)("%s → one-line ConfigError", async (_, flags, env, expected) => {
    const error = await box.load(flags, env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("names every problem at once, one line each", async () => {
    const error = await box.load({ ...withKey, log_level: "loud", log_format: "xml", days_to_delete: "0" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split("\n")).toEqual([
      'days_to_delete (from --days_to_delete): expected a whole number of days (1 or more), got "0"; e.g. --days_to_delete 90',
      'log_level (from --log_level): expected one of error, warn, info, debug, got "loud"; e.g. --log_level debug',
      'log_format (from --log_format): expected one of text, json, got "xml"; e.g. --log_format json',
    ]);
  });

  it("names every problem of a config file at once, one line each", async () => {
    const path = await box.file("work/three-problems.json", JSON.stringify({ dayz: 1, pairs: [{ source: 42, destination: "B", fastq_patern: "x" }] }));
    const error = await box.load({ api_key_file: "key", config: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(`config file ${path}: unknown key dayz; see the README's configuration table`);
    expect(lines).toContainEqual(`config file ${path}: pairs[0].source: expected a project name, {"id": "…"} or {"name": "…"}`);
    expect(lines.find((line) => line.includes("fastq_patern"))).toMatch(/unknown key pairs\[0\]\.fastq_patern; a pair may set source, destination, fastq_pattern/);
  });

  it("never echoes a secret value, even one that fails validation", async () => {
    const layers: Layer[] = [
      { source: { source: "test", value: { name: "S" } }, destination: { source: "test", value: { name: "D" } } },
      { apiKey: { source: "somewhere", value: 271828182845 }, basespaceAccessToken: { source: "elsewhere", value: ["tok-secret"] } },
    ];
    const merged = await mergeLayers(layers, ["source", "destination", "apiKey", "basespaceAccessToken"]);
    const result = settingsSchema.safeParse({ ...settingDefaults, ...merged.draft });
    expect(result.success).toBe(false);
    const message = settingsError(result.error!, merged).message;
    expect(message).toBe(
      "ICA API key (from somewhere): expected a non-empty key; pass --api_key_file FILE, set ICA_API_KEY or ICA_API_KEY_FILE, or configure the icav2 CLI (~/.icav2/config.yaml)\n" +
        "BaseSpace access token (from elsewhere): expected a non-empty token; pass --basespace_access_token_file FILE, set BASESPACE_ACCESS_TOKEN, or run bs auth",
    );
    expect(message).not.toMatch(/271828182845|tok-secret/);
  });
});
