import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { configSandbox, type ConfigSandbox } from "../config/helpers.js";

const example = join(import.meta.dirname, "../../examples/config.example.json");

let box: ConfigSandbox;
beforeEach(async () => {
  box = await configSandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe("examples/config.example.json", () => {
  it("is loaded and validated by the real loader: two pairs, the documented values", async () => {
    // The example names /etc paths for the secrets; the test hands them over the way flags would.
    const key = await box.file("ica_api_key", "ICA-KEY-EXAMPLE-0000000000000000\n");
    const bs = await box.file("basespace.cfg", "apiServer = https://api.basespace.illumina.com\naccessToken = bs-example-token\n");
    const { settings } = await box.load({ config: example, api_key_file: key, basespace_access_token_file: bs });
    expect(settings.map((s) => [s.source, s.destination])).toEqual([
      [{ name: "BSSH_Runs" }, { name: "MGI_Delivery" }],
      [{ id: "0c4c5d1e-8f2a-4b6c-9d3e-7a1b2c3d4e5f" }, { name: "Collaborator_Delivery" }],
    ]);
    expect(settings[0]).toMatchObject({ stateDir: "/var/lib/ica-orchestrator", daysToArchive: 60, daysToDelete: 90, basespaceRuns: "related", logFormat: "json" });
    expect(String(settings[1]?.fastqPattern)).toBe(String(/^M-/));
  });
});
