import { Command, InvalidArgumentError, Option } from "commander";
import { loadLocalSettings, type LocalSettings } from "../../config/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";
import { checkHealth } from "../health-check.js";

/** Cycles every 10 minutes: an hour without success is several missed in a row, not one slow cycle. */
const defaultMaxAgeMinutes = 60;

function minutes(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError(`expected a whole number of minutes (1 or more), got "${value}"`);
  return Number(value);
}

const maxAgeOption = (name: string): Option =>
  new Option(`--${name} <minutes>`, `unhealthy when the last successful cycle is older (default ${defaultMaxAgeMinutes})`).argParser(minutes);

/**
 * `health`: exit 0 when cycles have been succeeding lately, 1 when not (a container HEALTHCHECK, a
 * monitoring probe), 2 when there is no state directory where the settings point.
 */
export function healthCommand(scope: CommandScope): Command {
  const command = new Command("health")
    .summary("exit 0 if a cycle succeeded lately, 1 if not (for HEALTHCHECK and probes; no credentials needed)")
    .description(
      "Reads the reports of the recent cycles in the state directory, changes nothing and needs no key or token. " +
        "Exit status: 0 when every pair that ran in the last --max_age_minutes had a successful cycle in that time; " +
        "1 when none ran or one only failed; 2 when there is no state directory where the settings point. " +
        "Prints one line saying why.",
    )
    .addOption(maxAgeOption("max_age_minutes"))
    .addOption(maxAgeOption("max-age-minutes").hideHelp());
  addCycleOptions(command);
  withExamples(command, [
    ["the container's HEALTHCHECK (the image's state volume)", "ica-orchestrator health --max_age_minutes 60"],
    ["a probe of a cron or systemd installation", "ica-orchestrator health --state_dir /var/lib/ica-orchestrator"],
  ]);
  return command.action(async (own: { max_age_minutes?: number; maxAgeMinutes?: number }) => {
    const { context } = scope;
    const local = await loadLocalSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    // Every pair shares the one state directory (state_dir is not a per-pair key).
    const { stateDir } = local[0] as LocalSettings;
    const maxAge = own.max_age_minutes ?? own.maxAgeMinutes ?? defaultMaxAgeMinutes;
    const health = await checkHealth(stateDir, maxAge, new Date());
    context.stdout.write(`${health.line}\n`);
    scope.setExitCode(health.healthy ? exitCodes.ok : exitCodes.failures);
  });
}
