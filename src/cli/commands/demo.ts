import { mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import type { FlagInput } from "../../config/index.js";
import { startSimulator } from "../../simulator/server.js";
import type { SimTimings } from "../../simulator/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../simulator/fixtures/identities.js";
import { statePaths } from "../../state/index.js";
import type { CliContext } from "../cli-context.js";
import type { CommandScope } from "../command-scope.js";
import { withExamples } from "../examples.js";
import type { RunCyclesResult } from "../run-cycles.js";
import { cycleCommand } from "./run.js";
import { printStatus } from "./status.js";

/**
 * Seconds instead of the simulator's defaults, so the demo's cycle finishes at once.
 * @internal exported for the tests
 */
export const demoTimings: Partial<SimTimings> = {
  icaLinkBatchMs: 100,
  icaArchiveMs: 200,
  icaUnarchiveMs: 500,
  icaDeleteMs: 100,
  bsRestoreMs: 1_000,
};

interface DemoFlags {
  dir?: string;
}

const heading = (context: CliContext, text: string): void => {
  context.stdout.write(`\n==== ${text} ====\n\n`);
};

async function listFiles(dir: string): Promise<string[]> {
  return readdir(dir).then(
    (names) => names.sort(),
    () => [],
  );
}

async function whereEverythingWent(context: CliContext, dir: string, credentialsDir: string, run: RunCyclesResult): Promise<void> {
  const paths = statePaths(join(dir, "state"));
  const manifests = await listFiles(paths.manifests);
  const report = run.reports.at(-1)?.reportPath;
  const lines = [
    `Everything is under ${dir}:`,
    `  credentials (simulated, 0600)  ${credentialsDir}`,
    `  state directory                ${paths.root}`,
    `  managed-analyses table         ${join(paths.root, "analyses_managed_table.txt")}`,
    `  manifests (uploaded to ICA)    ${paths.manifests}${manifests.length > 0 ? "" : " (none)"}`,
    ...manifests.map((name) => `                                   ${name}`),
    `  journal (work in flight)       ${paths.journal}`,
    `  audit log (every change)       ${paths.audit}`,
    `  this cycle's report            ${report ?? "(none)"}`,
    `  log file                       ${paths.log}`,
    "",
    "The simulator has stopped. Look again with:",
    `  ica-orchestrator status --state_dir ${paths.root}`,
    "",
  ];
  context.stdout.write(lines.join("\n"));
}

/**
 * Starts the simulator in-process with the `demo` fixture, writes its credentials into a directory,
 * and runs plan, run and status against it exactly as a lab would run them (same code paths, the
 * original tool's flags), in a clean environment so the user's own keys and config never mix in.
 */
async function demo(scope: CommandScope, own: DemoFlags): Promise<void> {
  const dir = own.dir === undefined ? await mkdtemp(join(tmpdir(), "ica-orchestrator-demo-")) : resolve(scope.context.cwd, own.dir);
  await mkdir(dir, { recursive: true });
  const credentialsDir = join(dir, "credentials");
  const sim = await startSimulator({ fixture: "demo", credentialsDir, timings: demoTimings });
  try {
    const context: CliContext = { ...scope.context, env: {}, homeDir: dir, cwd: dir };
    const inner: CommandScope = { ...scope, context, setExitCode: () => undefined };
    const flags: FlagInput = {
      server_url: sim.icaUrl,
      api_key_file: sim.apiKeyFile,
      basespace_access_token_file: sim.basespaceConfigFile,
      source_project_name: SOURCE_PROJECT_NAME,
      destination_project_name: DESTINATION_PROJECT_NAME,
      state_dir: join(dir, "state"),
      // The demo's table starts empty next to old analyses: the adoption guard wants a decision.
      adopt: "deliver",
    };
    context.stdout.write(`Simulated ICA and BaseSpace at ${sim.icaUrl} (fixture "demo": ${sim.fixture.description})\n`);
    context.stdout.write("Its managed table starts empty next to old analyses, so the demo adopts them with --adopt deliver.\n");
    heading(context, `1/3  ica-orchestrator plan  (dry run: reads only, changes nothing)`);
    await cycleCommand(inner, flags, { forceDryRun: true });
    heading(context, "2/3  ica-orchestrator run");
    const run = await cycleCommand(inner, flags, { forceDryRun: false });
    heading(context, "3/3  ica-orchestrator status");
    await printStatus(context, { state_dir: flags.state_dir }, { json: false });
    heading(context, "where everything went");
    await whereEverythingWent(context, dir, credentialsDir, run);
    scope.setExitCode(run.code);
  } finally {
    await sim.stop();
  }
}

export function demoCommand(scope: CommandScope): Command {
  const command = new Command("demo")
    .summary("see it work: plan, run and status against the built-in simulator")
    .description(
      "Starts the ICA, BaseSpace and S3 simulator with the demo fixture (analyses on either side of the 60/90-day " +
        "lines, BaseSpace projects, datasets, runs and trash), writes its credentials to a directory, runs plan, then " +
        "run, then status against it (with --adopt deliver: its table starts empty), and prints where everything went. " +
        "Needs no account and no network.",
    )
    .option("--dir <path>", "where to put credentials and state (default: a new temporary directory, kept)");
  withExamples(command, [
    ["results in a new temporary directory", "ica-orchestrator demo"],
    ["keep the results somewhere known", "ica-orchestrator demo --dir ./demo-output"],
    ["from a fresh clone, building first", "npm ci && npm run demo"],
  ]);
  return command.action((flags: DemoFlags) => demo(scope, flags));
}
