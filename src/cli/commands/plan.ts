import { Command } from "commander";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { withExamples } from "../examples.js";
import { addOutputOptions, outputChoice } from "../output-options.js";
import { cycleCommand } from "./run.js";

export function planCommand(scope: CommandScope): Command {
  const command = new Command("plan")
    .summary("what a cycle would do (run --dry_run); changes nothing")
    .description(
      "The same cycle as `run --dry_run`: reads ICA and BaseSpace, changes nothing anywhere (not even the state " +
        "directory) and prints the plan: what would be linked, uploaded, archived, restored and deleted, with " +
        "ages, sizes and estimated iCredits. --as-of DATE plans for another date (what goes next week). Exit " +
        "status: 0 the plan is complete, 1 something could not be read (the plan is incomplete: its errors say " +
        "what), 2 usage or configuration error.",
    );
  addCycleOptions(command, { omit: ["dry_run"] });
  addOutputOptions(command, { cycles: true, asOf: true });
  withExamples(command, [
    ["the plan for one pair of projects", "ica-orchestrator plan --source_project_name BSSH_Runs --destination_project_name MGI_Delivery"],
    ["the plan for every pair in a config file, with a stricter deletion age", "ica-orchestrator plan --config lab.json --days_to_delete 120"],
    ["what would go a week from now, as JSON for a script", "ica-orchestrator plan --config lab.json --as-of 2026-12-31 -o json"],
    ["every item, and the plan kept as a file", "ica-orchestrator plan --config lab.json --verbose --report plan.json"],
  ]);
  return command.action(async () =>
    scope.setExitCode((await cycleCommand(scope, cycleFlags(command), { forceDryRun: true, output: outputChoice(command) })).code),
  );
}
