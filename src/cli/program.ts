import { Command } from "commander";
import type { CommandScope } from "./command-scope.js";
import { ackCommand } from "./commands/ack.js";
import { demoCommand } from "./commands/demo.js";
import { doctorCommand } from "./commands/doctor.js";
import { downloadCommand } from "./commands/download.js";
import { healthCommand } from "./commands/health.js";
import { markManagedCommand } from "./commands/mark-managed.js";
import { redeliverCommand } from "./commands/redeliver.js";
import { planCommand } from "./commands/plan.js";
import { runCommand } from "./commands/run.js";
import { simulatorCommand } from "./commands/simulator.js";
import { releaseCommand } from "./commands/release.js";
import { statusCommand } from "./commands/status.js";
import { subscribeCommand } from "./commands/subscribe.js";
import { watchCommand } from "./commands/watch.js";
import { withExamples } from "./examples.js";
import { packageVersion } from "./version.js";

/** The `ica-orchestrator` program; `run` is the default command, so the original tool's command lines work as they were. */
export function createProgram(scope: CommandScope): Command {
  const { stdout, stderr } = scope.context;
  const program = new Command("ica-orchestrator")
    .description(
      "Housekeeping of a sequencing core on Illumina Connected Analytics and BaseSpace: links the MGI FASTQs of " +
        "new BCLConvert analyses into a delivery project with a manifest, and archives then deletes aged data.",
    )
    .version(packageVersion(), "--version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.write(text), writeErr: (text) => stderr.write(text) })
    .showHelpAfterError("(add --help for usage and examples)");
  withExamples(program, [
    ["see it work against the built-in simulator", "ica-orchestrator demo"],
    ["check credentials, scopes and projects", "ica-orchestrator doctor --config lab.json"],
    ["what a cycle would do, then one cycle", "ica-orchestrator plan --config lab.json && ica-orchestrator run --config lab.json"],
    ["a cycle every 10 minutes until stopped", "ica-orchestrator watch --config lab.json"],
    ["a recipient: download and verify what a manifest lists", "ica-orchestrator download RUN42.download_manifest.csv --dest ./RUN42"],
  ]);
  const commands = [
    runCommand,
    planCommand,
    watchCommand,
    statusCommand,
    healthCommand,
    releaseCommand,
    markManagedCommand,
    redeliverCommand,
    downloadCommand,
    subscribeCommand,
    doctorCommand,
    ackCommand,
    demoCommand,
    simulatorCommand,
  ];
  for (const create of commands) {
    const command = create(scope).copyInheritedSettings(program);
    program.addCommand(command, { isDefault: command.name() === "run" });
  }
  return program;
}
