import { access } from "node:fs/promises";
import { Command } from "commander";
import { ConfigError, loadLocalSettings } from "../../config/index.js";
import { describeDecision } from "../../orchestrator/person-decisions.js";
import { AuditLog, openJournal, statePaths } from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { operatorLock } from "../operator-decision.js";

export function releaseCommand(scope: CommandScope): Command {
  const command = new Command("release")
    .summary("let the tool act again on items a person restored, unarchived or moved")
    .description(
      "An item a person brought back from the BaseSpace trash, unarchived, or moved after this tool acted on it " +
        "is taken as that person's decision: the tool leaves it alone and `status` lists it. `release <id>...` " +
        "lifts that for the given ids (as `status` shows them): from the next cycle on, the item is archived or " +
        "deleted again when its age says so. Takes the state lock and needs no key or token; an id that is not " +
        "held changes nothing.",
    )
    .argument("<id...>", "ICA folder ids (fol.…) or BaseSpace dataset/run ids, as `status` lists them");
  addCycleOptions(command);
  withExamples(command, [["a dataset restored from the trash on purpose, now to be deleted after all", "ica-orchestrator release ds.0123abcd"]]);
  return command.action(async (ids: string[]) => {
    const local = await loadLocalSettings({ flags: cycleFlags(command), env: scope.context.env, homeDir: scope.context.homeDir, cwd: scope.context.cwd });
    const { stateDir } = local[0] as (typeof local)[number];
    const paths = statePaths(stateDir);
    if (!(await access(paths.journal).then(() => true, () => false))) {
      throw new ConfigError(`release: no journal in ${paths.root}, so nothing is held; pass the --state_dir your cycles use`);
    }
    const lock = await operatorLock("release", paths.root);
    try {
      const fence = () => lock.assertHeld();
      const journal = await openJournal(paths.journal, { cyclesPath: paths.cycles, fence });
      const unknown = ids.filter((id) => journal.data.personDecisions[id] === undefined);
      if (unknown.length > 0) {
        throw new ConfigError(`release: ${unknown.join(", ")} is not held as a person's decision in ${paths.journal}; \`ica-orchestrator status\` lists the held ids`);
      }
      const audit = new AuditLog(paths.audit, { cycleId: "release", fence });
      for (const id of ids) {
        const decision = journal.releasePersonDecision(id);
        if (decision) scope.context.stdout.write(`released ${describeDecision(id, decision)}\n`);
      }
      await journal.save();
      await audit.append({ action: "release", targets: { ids }, result: "ok" });
    } finally {
      await lock.release();
    }
    scope.setExitCode(exitCodes.ok);
  });
}
