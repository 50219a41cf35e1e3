import { Command } from "commander";
import { LedgerState, renderCanaries, renderLedgerState } from "../../assumptions/index.js";
import { loadLocalSettings } from "../../config/index.js";
import { statePaths } from "../../state/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { hasFailures, renderChecklist } from "../doctor/checklist.js";
import { runDoctorChecks } from "../doctor/doctor-checks.js";
import { renderSettingSources } from "../doctor/sources-section.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";

export function doctorCommand(scope: CommandScope): Command {
  const command = new Command("doctor")
    .summary("check credentials, scopes, projects, state directory and clock")
    .description(
      "A checklist before the first run (and when something stops working): the configuration loads and the " +
        "credentials are found; the ICA key and the BaseSpace token are accepted (one cheap call each); the " +
        "token has the scopes the cycle needs; both projects of every pair resolve; the state directory is " +
        "writable; the clock agrees with the ICA server's. Before the checklist, every setting not at its default " +
        "and where it came from (flag, environment, config file, Illumina CLI file; never a secret's value). " +
        "Changes nothing. Exits 1 if any check fails, each failure saying how to fix it.",
    );
  addCycleOptions(command);
  withExamples(command, [
    ["with the same options as run", "ica-orchestrator doctor --api_key_file ~/.ica_key --source_project_name BSSH_Runs --destination_project_name MGI_Delivery"],
    ["inside the container", "docker run --rm -v ./secrets:/run/secrets:ro ica-orchestrator doctor --config /config/config.json"],
  ]);
  return command.action(async () => {
    const { context, redactor } = scope;
    const input = { flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd };
    const { results, pairs } = await runDoctorChecks(input, { redactor });
    context.stdout.write(redactor.redact(`${renderSettingSources(pairs)}${renderChecklist(results)}${await ledgerSection(input)}`));
    scope.setExitCode(hasFailures(results) ? exitCodes.failures : exitCodes.ok);
  });
}

/** What cycles against this account have seen of each assumption; nothing when the settings do not load (the checklist says why). */
async function ledgerSection(input: Parameters<typeof loadLocalSettings>[0]): Promise<string> {
  const local = await loadLocalSettings(input).then(
    ([first]) => first,
    () => undefined,
  );
  if (!local) return "";
  try {
    const ledger = await LedgerState.load(statePaths(local.stateDir).root);
    return `\n${renderLedgerState(ledger.view())}${renderCanaries(ledger.canaries.view(), local.canary === "on")}`;
  } catch (error) {
    return `\nAssumptions: cannot read the ledger state (${error instanceof Error ? error.message : String(error)})\n`;
  }
}
