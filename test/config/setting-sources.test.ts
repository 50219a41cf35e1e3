import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { configSandbox, projects, type ConfigSandbox } from "./helpers.js";

let box: ConfigSandbox;
let config: string;
beforeAll(async () => {
  box = await configSandbox();
  config = await box.file("work/lab.json", JSON.stringify({ state_dir: "state", server_url: "https://ica.example.org" }));
  await box.file("home/.icav2/config.yaml", "x-api-key: from-icav2\n");
});
afterAll(async () => {
  await box.cleanup();
});

describe("config/setting sources", () => {
  it("names the layer that set each setting not at its default, and no secret's value", async () => {
    const { sources } = await box.load({ ...projects, config: "lab.json", days_to_delete: "120" }, { ICA_ORCHESTRATOR_STATE_DIR: "env-state" });
    expect(sources).toHaveLength(1);
    expect(sources[0]?.map(({ name, kind, source }) => [name, kind, source])).toEqual([
      ["source project", "flag", "--source_project_name"],
      ["destination project", "flag", "--destination_project_name"],
      ["ICA API key", "Illumina CLI file", `${join(box.home, ".icav2/config.yaml")} x-api-key`],
      ["server_url", "config file", `config ${config} server_url`],
      ["state_dir", "environment", "ICA_ORCHESTRATOR_STATE_DIR"],
      ["days_to_delete", "flag", "--days_to_delete"],
    ]);
    expect(sources[0]?.find((s) => s.setting === "apiKey")).not.toHaveProperty("value");
    expect(sources[0]?.find((s) => s.setting === "stateDir")?.value).toBe(join(box.cwd, "env-state"));
  });

  it("warns when an environment variable hides a config-file value, naming both", async () => {
    const env = { ICA_ORCHESTRATOR_STATE_DIR: "env-state", ICA_BASE_URL: "https://ica.illumina.com" };
    const { overrides } = await box.load({ ...projects, config: "lab.json" }, env);
    expect(overrides).toEqual([
      `ICA_BASE_URL overrides config ${config} server_url (the environment wins): unset the stale one`,
      `ICA_ORCHESTRATOR_STATE_DIR overrides config ${config} state_dir (the environment wins): unset the stale one`,
    ]);
  });

  it("says nothing when a flag overrides the config file, or a variable has no config key under it", async () => {
    expect((await box.load({ ...projects, config: "lab.json", state_dir: "flag-state", server_url: "https://ica.illumina.com" })).overrides).toEqual([]);
    expect((await box.load(projects, { ICA_ORCHESTRATOR_STATE_DIR: "env-state" })).overrides).toEqual([]);
  });
});
