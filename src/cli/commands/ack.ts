import { Command } from "commander";
import { assumptionById, canaryKinds, isCanaryKind, LedgerState, ledger } from "../../assumptions/index.js";
import { ConfigError, loadLocalSettings } from "../../config/index.js";
import { acquireStateLock, ensureStateDir } from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";

/** What ack accepts: a ledger entry, or a kind of irreversible action whose canary was contradicted. */
const ackable = () => [...ledger.map((a) => a.id), ...canaryKinds].join(", ");

export function ackCommand(scope: CommandScope): Command {
  const command = new Command("ack")
    .summary("acknowledge a contradicted assumption or canary, so the actions it stopped may run again")
    .description(
      "A cycle that sees ICA or BaseSpace contradict an entry of docs/assumptions.md, or a kind of irreversible " +
        "action whose first item (its canary) did not read back as done, stops that kind of action (status and " +
        "doctor say which, when and why). Once you have read the evidence, ack puts it back to unconfirmed: the " +
        "next cycle tries again (a kind of action on one item first), and stops again if it is contradicted again.",
    )
    .argument("<assumption>", `one of ${ackable()}`);
  addCycleOptions(command);
  withExamples(command, [["after checking with Illumina that datasets can be trashed", "ica-orchestrator ack bs.trash-endpoint"]]);
  return command.action(async (id: string) => {
    const { context } = scope;
    if (assumptionById(id) === undefined && !isCanaryKind(id)) {
      throw new ConfigError(`ack: unknown assumption or action kind "${id}"; use one of ${ackable()}`);
    }
    const local = await loadLocalSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    const paths = await ensureStateDir((local[0] as (typeof local)[number]).stateDir);
    // Under the state lock, so a running cycle cannot write the file over the acknowledgement.
    const lock = await acquireStateLock(paths.root);
    try {
      const state = await LedgerState.load(paths.root);
      const acknowledged = isCanaryKind(id) ? state.canaries.acknowledge(id) : state.acknowledge(id);
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
