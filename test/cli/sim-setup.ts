import { join } from "node:path";
import { demoTimings } from "../../src/cli/commands/demo.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";

/** Recognisable secrets, so a test can prove they never reach a log, an error or a report. */
export const cliApiKey = "CLI-TEST-ICA-KEY-5f1e2d3c4b5a69788796";
export const cliToken = "CLI-TEST-BS-TOKEN-0a9b8c7d6e5f4a3b2c1d";

export function startCliSimulator(dir: string, options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({
    fixture: "demo",
    credentialsDir: join(dir, "credentials"),
    icaApiKey: cliApiKey,
    basespaceToken: cliToken,
    timings: demoTimings,
    ...options,
  });
}

/** The original tool's flags pointing at the simulator, state in `<dir>/state`. */
export function simulatorArgs(sim: Simulator, dir: string): string[] {
  return [
    "--server_url", sim.icaUrl,
    "--api_key_file", sim.apiKeyFile ?? "",
    "--basespace_access_token_file", sim.basespaceConfigFile ?? "",
    "--source_project_name", SOURCE_PROJECT_NAME,
    "--destination_project_name", DESTINATION_PROJECT_NAME,
    "--state_dir", join(dir, "state"),
    // The demo fixture's table starts empty next to old analyses: a first cycle that delivers them all.
    "--adopt", "deliver",
    // Full rate from the first cycle; tests of the canary pass --canary on (test/cli/canary.test.ts).
    "--canary", "off",
  ];
}

/** `args` with `flag`'s value replaced (or the flag added). */
export function withFlag(args: readonly string[], flag: string, value: string): string[] {
  const at = args.indexOf(flag);
  return at < 0 ? [...args, flag, value] : [...args.slice(0, at), flag, value, ...args.slice(at + 2)];
}
