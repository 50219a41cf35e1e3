import { Command } from "commander";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { withExamples } from "../examples.js";
import { cycleCommand } from "./run.js";

export function planCommand(scope: CommandScope): Command {
  const command = new Command("plan")
    .summary("what a cycle would do (run --dry_run); changes nothing")
    .description(
      "The same cycle as `run --dry_run`: reads ICA and BaseSpace, changes nothing anywhere (not even the state " +
        "directory) and prints the plan: what would be linked, uploaded, archived, restored and deleted, with " +
        "ages and sizes. Exits 0 once the plan is printed.",
    );
  addCycleOptions(command, { omit: ["dry_run"] });
  withExamples(command, [
    ["the plan for one pair of projects", "ica-orchestrator plan --source_project_name BSSH_Runs --destination_project_name MGI_Delivery"],
    ["the plan for every pair in a config file, with a stricter deletion age", "ica-orchestrator plan --config lab.json --days_to_delete 120"],
  ]);
  return command.action(async () => scope.setExitCode((await cycleCommand(scope, cycleFlags(command), { forceDryRun: true })).code));
}
