import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadLocalSettings } from "../../src/config/load-settings.js";
import { configSandbox, projects, type ConfigSandbox } from "./helpers.js";

let box: ConfigSandbox;
beforeEach(async () => {
  box = await configSandbox();
});
afterEach(async () => {
  await box.cleanup();
});

const bsCfg = (server: string, token: string): string => `apiServer   = ${server}\naccessToken = ${token}\n`;

describe("config/environment: the container's variables", () => {
  it("ICA_ORCHESTRATOR_STATE_DIR sets the state directory (relative to cwd), below --state_dir", async () => {
    const env = { ICA_API_KEY: "k", ICA_ORCHESTRATOR_STATE_DIR: "var/state" };
    const [fromEnv] = (await box.load(projects, env)).settings;
    expect(fromEnv).toMatchObject({
      stateDir: join(box.cwd, "var/state"),
      managedTablePath: join(box.cwd, "var/state", "analyses_managed_table.txt"),
    });
    const [fromFlag] = (await box.load({ ...projects, state_dir: "/elsewhere" }, env)).settings;
    expect(fromFlag?.stateDir).toBe("/elsewhere");
    const [local] = await loadLocalSettings(box.input({}, env));
    expect(local?.stateDir).toBe(join(box.cwd, "var/state"));
  });

  it("ICA_ORCHESTRATOR_BASESPACE_CONFIG replaces ~/.basespace/default.cfg", async () => {
    await box.file("home/.basespace/default.cfg", bsCfg("https://home.example", "home-token"));
    const mounted = await box.file("secrets/basespace.cfg", bsCfg("https://secret.example", "secret-token"));
    const [settings] = (await box.load(projects, { ICA_API_KEY: "k", ICA_ORCHESTRATOR_BASESPACE_CONFIG: mounted })).settings;
    expect(settings?.basespace).toEqual({ apiServer: "https://secret.example", accessToken: "secret-token" });
  });

  it("keeps the bs file's low precedence: BASESPACE_ACCESS_TOKEN and a token file flag win over it", async () => {
    const mounted = await box.file("secrets/basespace.cfg", bsCfg("https://secret.example", "secret-token"));
    const flagFile = await box.file("work/bs.cfg", bsCfg("https://flag.example", "flag-token"));
    const env = { ICA_API_KEY: "k", ICA_ORCHESTRATOR_BASESPACE_CONFIG: mounted };
    const [fromEnvToken] = (await box.load(projects, { ...env, BASESPACE_ACCESS_TOKEN: "env-token" })).settings;
    expect(fromEnvToken?.basespace).toEqual({ apiServer: "https://secret.example", accessToken: "env-token" });
    const [fromFlag] = (await box.load({ ...projects, basespace_access_token_file: flagFile }, env)).settings;
    expect(fromFlag?.basespace).toEqual({ apiServer: "https://flag.example", accessToken: "flag-token" });
  });

  it("treats a missing file as no BaseSpace, like a missing ~/.basespace/default.cfg (nothing mounted)", async () => {
    await box.file("home/.basespace/default.cfg", bsCfg("https://home.example", "home-token"));
    const env = { ICA_API_KEY: "k", ICA_ORCHESTRATOR_BASESPACE_CONFIG: join(box.root, "secrets/absent.cfg") };
    const { settings, warnings } = await box.load(projects, env);
    expect(settings[0]?.basespace).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("takes the notification URLs from the environment (a container's secrets): over the config file, under the flags", async () => {
    const env = {
      ICA_API_KEY: "k",
      ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "https://hooks.slack.com/services/T1/B2/envToken",
      ICA_ORCHESTRATOR_NOTIFY_SMTP_URL: "smtps://alerts:env%40pass@mail.example.org:465",
    };
    const mail = { notify_email_from: "seqcore@example.org", notify_email_to: "lab@example.org" };
    const [settings] = (await box.load({ ...projects, ...mail }, env)).settings;
    expect(settings).toMatchObject({
      notifyWebhookUrl: "https://hooks.slack.com/services/T1/B2/envToken",
      notifySmtpUrl: "smtps://alerts:env%40pass@mail.example.org:465",
    });
    const config = await box.file("work/lab.json", JSON.stringify({ notify_webhook_url: "https://hooks.example.org/from-file" }));
    const [fromFile] = (await box.load({ ...projects, ...mail, config }, env)).settings;
    expect(fromFile?.notifyWebhookUrl).toBe("https://hooks.slack.com/services/T1/B2/envToken");
    const [fromFlag] = (await box.load({ ...projects, ...mail, notify_webhook_url: "https://hooks.example.org/flag" }, env)).settings;
    expect(fromFlag?.notifyWebhookUrl).toBe("https://hooks.example.org/flag");
    const [cleared] = (await box.load(projects, { ICA_API_KEY: "k", ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "" })).settings;
    expect(cleared?.notifyWebhookUrl).toBeUndefined();
  });

  it("names the variable in the error when a notification URL in it is not valid, without quoting the URL", async () => {
    const env = { ICA_API_KEY: "k", ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "ftp://user:hunter2@example.org/hook" };
    const error = await box.load(projects, env).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("ICA_ORCHESTRATOR_NOTIFY_WEBHOOK_URL");
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("says how to clear the image's default key file when a key is given in the environment too", async () => {
    await expect(box.load(projects, { ICA_API_KEY: "k", ICA_API_KEY_FILE: "/run/secrets/ica_api_key" })).rejects.toThrow(
      "-e ICA_API_KEY_FILE= clears the image's default",
    );
    const [settings] = (await box.load(projects, { ICA_API_KEY: "k", ICA_API_KEY_FILE: "" })).settings;
    expect(settings?.apiKey).toBe("k");
  });
});
