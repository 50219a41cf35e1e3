import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod } from "node:fs/promises";
import { ConfigError } from "../../src/config/config-error.js";
import { readApiKeyFile } from "../../src/config/secret-files.js";
import { readBasespaceConfig, readBasespaceTokenFile, readIcav2Config } from "../../src/config/illumina-cli-files.js";
import { configSandbox, type ConfigSandbox } from "./helpers.js";

let box: ConfigSandbox;
beforeEach(async () => {
  box = await configSandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe("config/secret-files readApiKeyFile", () => {
  it("reads a private key file without warnings, trimming CRLF and surrounding blanks", async () => {
    const path = await box.file("key", "\uFEFF  abc123XYZ \r\n\r\n");
    expect(await readApiKeyFile(path)).toEqual({ apiKey: "abc123XYZ", warnings: [] });
  });

  it.each([0o644, 0o640, 0o604, 0o660])("warns (without failing) when the mode is %o", async (mode) => {
    const path = await box.file("key", "abc\n", mode);
    const { apiKey, warnings } = await readApiKeyFile(path);
    expect(apiKey).toBe("abc");
    expect(warnings).toEqual([
      `API key file ${path} is accessible by other users (mode 0${mode.toString(8)}): run chmod 600 ${path}`,
    ]);
  });

  it("fails with the file name and the fix when missing or empty", async () => {
    const empty = await box.file("empty", "\r\n  \n");
    await expect(readApiKeyFile(empty)).rejects.toThrow(new ConfigError(`API key file ${empty} is empty: put the ICA API key on its first line`));
    await expect(readApiKeyFile(`${box.root}/none`)).rejects.toThrow(
      new ConfigError(`API key file ${box.root}/none does not exist: create it or correct the path`),
    );
  });

  const root = process.getuid?.() === 0;
  it.skipIf(root)(`fails with the fix when the file is unreadable${root ? " (skipped: running as root, which reads any file whatever its mode)" : ""}`, async () => {
    const path = await box.file("key", "abc");
    await chmod(path, 0o000);
    await expect(readApiKeyFile(path)).rejects.toThrow(/is not readable \(EACCES\): make it readable by the user running ica-orchestrator/);
  });
});

describe("config/illumina-cli-files", () => {
  it("reads bs config files with padded or tab-separated keys, and ignores other keys and comments", async () => {
    const path = await box.file(
      "default.cfg",
      "# written by bs auth\napiServer   = https://api.euc1.sh.basespace.illumina.com\r\naccessToken\t=\t0123abcd\r\nproxy = \n",
    );
    expect(await readBasespaceConfig(path)).toEqual({
      path,
      apiServer: "https://api.euc1.sh.basespace.illumina.com",
      accessToken: "0123abcd",
      warnings: [],
    });
  });

  it("requires the token in an explicitly given token file", async () => {
    const path = await box.file("t.cfg", "apiServer = https://api.basespace.illumina.com\n");
    await expect(readBasespaceTokenFile(path)).rejects.toThrow(/has no accessToken entry/);
  });

  it("reads the icav2 CLI's config.yaml and refuses broken YAML in one line", async () => {
    const good = await box.file("config.yaml", "server-url: ica.illumina.com\nx-api-key: yamlkey\ncolormode: none\n");
    expect(await readIcav2Config(good)).toEqual({ path: good, serverUrl: "ica.illumina.com", apiKey: "yamlkey", warnings: [] });
    const bad = await box.file("bad.yaml", "x-api-key: [secret-in-broken-yaml\n");
    const error = await readIcav2Config(bad).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^icav2 config file .*bad\.yaml is not valid YAML \(.*\): fix it, or pass --api_key_file$/);
    expect((error as Error).message).not.toContain("secret-in-broken-yaml");
  });
});
