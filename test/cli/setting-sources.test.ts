import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openLogging } from "../../src/cli/cli-logging.js";
import { runCli } from "../../src/cli/run-cli.js";
import { runCycles } from "../../src/cli/run-cycles.js";
import { SecretRedactor } from "../../src/logging/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { capturedContext, tempDir } from "./helpers.js";
import { cliApiKey, cliToken, simulatorArgs, startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
let env: Record<string, string>;
const overrideWarning = (): string =>
  `ICA_ORCHESTRATOR_STATE_DIR overrides config ${join(dir.path, "lab.json")} state_dir (the environment wins): unset the stale one`;

beforeAll(async () => {
  dir = await tempDir("ica-orch-sources-");
  sim = await startCliSimulator(dir.path);
  // The state directory comes from the config file and the environment, not from a flag.
  const stateAt = simulatorArgs(sim, dir.path).indexOf("--state_dir");
  args = simulatorArgs(sim, dir.path).filter((_, i) => i !== stateAt && i !== stateAt + 1);
  await writeFile(join(dir.path, "lab.json"), JSON.stringify({ state_dir: "from-config", days_to_delete: 120 }));
  env = { ICA_ORCHESTRATOR_CONFIG: "lab.json", ICA_ORCHESTRATOR_STATE_DIR: join(dir.path, "from-env") };
});
afterAll(async () => {
  await sim.stop();
  await dir.cleanup();
});

describe("where each setting came from", () => {
  it("doctor lists every setting not at its default with its layer, never a secret's value, and warns of the override", async () => {
    const context = capturedContext({ cwd: dir.path, env });
    const code = await runCli(["doctor", ...args], context);
    const out = context.out();
    expect(code).toBe(0);
    const section = out.slice(0, out.indexOf("\n\n"));
    expect(section.split("\n")).toEqual([
      "Settings not at their defaults:",
      `  source project = {"name":"${SOURCE_PROJECT_NAME}"} from --source_project_name (flag)`,
      `  destination project = {"name":"${DESTINATION_PROJECT_NAME}"} from --destination_project_name (flag)`,
      `  ICA API key (secret, not shown) from --api_key_file (flag)`,
      `  BaseSpace access token (secret, not shown) from --basespace_access_token_file (flag)`,
      `  server_url = "${sim.icaUrl}" from --server_url (flag)`,
      `  basespace_api_server = "${sim.basespaceUrl}" from --basespace_access_token_file (flag)`,
      `  state_dir = "${join(dir.path, "from-env")}" from ICA_ORCHESTRATOR_STATE_DIR (environment)`,
      `  days_to_delete = 120 from config ${join(dir.path, "lab.json")} days_to_delete (config file)`,
      `  adopt = "deliver" from --adopt (flag)`,
      `  canary = "off" from --canary (flag)`,
    ]);
    expect(out).toContain(`[warn] configuration: ${overrideWarning()}`);
    expect(out).not.toContain(cliApiKey);
    expect(out).not.toContain(cliToken);
  });

  it("a cycle logs the sources at debug level and the override once per process, however often it reloads", async () => {
    const context = capturedContext({ cwd: dir.path, env });
    const redactor = new SecretRedactor();
    const scope = { context, redactor, setExitCode: () => undefined };
    const cliFlags = { ...Object.fromEntries(pairs(args)), log_level: "debug", dry_run: true };
    const logging = await openLogging(context, cliFlags, redactor);
    try {
      await runCycles(scope, cliFlags, logging, new AbortController().signal);
      await runCycles(scope, cliFlags, logging, new AbortController().signal);
    } finally {
      await logging.close();
    }
    const lines = context.err().split("\n");
    expect(lines.filter((line) => line.includes(overrideWarning()))).toHaveLength(1);
    const debug = lines.filter((line) => / debug (settings not at their defaults|setting \w+ from)/.test(line)).map((line) => line.replace(/^\S+ debug /, ""));
    expect(debug[0]).toMatch(/^settings not at their defaults: \d+$/);
    expect(debug).toEqual(expect.arrayContaining([
      "setting state_dir from ICA_ORCHESTRATOR_STATE_DIR (environment)",
      `setting days_to_delete from config ${join(dir.path, "lab.json")} days_to_delete (config file)`,
      "setting adopt from --adopt (flag)",
      "setting canary from --canary (flag)",
      "setting dry_run from --dry_run (flag)",
    ]));
    expect(context.err()).not.toContain(cliApiKey);
  });
});

/** `--name value` pairs of an argument list, as commander hands them to the settings. */
function pairs(argv: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let i = 0; i < argv.length; i += 2) result.push([(argv[i] ?? "").replace(/^--/, ""), argv[i + 1] ?? ""]);
  return result;
}
