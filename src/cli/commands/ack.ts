import { Command } from "commander";
import { assumptionById, LedgerState, ledger } from "../../assumptions/index.js";
import { ConfigError, loadLocalSettings } from "../../config/index.js";
import { acquireStateLock, ensureStateDir } from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";

export function ackCommand(scope: CommandScope): Command {
  const command = new Command("ack")
    .summary("acknowledge a contradicted assumption, so the actions it stopped may run again")
    .description(
      "A cycle that sees ICA or BaseSpace contradict an entry of docs/assumptions.md stops the kind of action " +
        "resting on it (status and doctor say which, when and why). Once you have read the evidence, ack puts " +
        "the entry back to unconfirmed: the next cycle tries again, and stops again if it is contradicted again.",
    )
    .argument("<assumption>", `one of ${ledger.map((a) => a.id).join(", ")}`);
  addCycleOptions(command);
  withExamples(command, [["after checking with Illumina that datasets can be trashed", "ica-orchestrator ack bs.trash-endpoint"]]);
  return command.action(async (id: string) => {
    const { context } = scope;
    if (assumptionById(id) === undefined) {
      throw new ConfigError(`ack: unknown assumption "${id}"; use one of ${ledger.map((a) => a.id).join(", ")}`);
    }
    const local = await loadLocalSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    const paths = await ensureStateDir((local[0] as (typeof local)[number]).stateDir);
    // Under the state lock, so a running cycle cannot write the file over the acknowledgement.
    const lock = await acquireStateLock(paths.root);
    try {
      const state = await LedgerState.load(paths.root);
      const acknowledged = state.acknowledge(id);
      await state.save(() => lock.assertHeld());
      context.stdout.write(
        acknowledged
          ? `${id} acknowledged: the next cycle may act on it again\n`
          : `${id} is not contradicted; nothing to acknowledge\n`,
      );
    } finally {
      await lock.release();
    }
    scope.setExitCode(exitCodes.ok);
  });
}
