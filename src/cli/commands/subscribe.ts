import { Command } from "commander";
import { ConfigError, loadSettings, type Settings } from "../../config/index.js";
import { IcaClient } from "../../ica/client.js";
import { resolveProject } from "../../modules/launch/index.js";
import { bclConvertFilter, channelSpecOf, ensureSubscription, type EnsureOutcome } from "../../modules/monitor/events/index.js";
import type { CommandScope } from "../command-scope.js";
import { addCycleOptions, cycleFlags } from "../cycle-options.js";
import { exitCodes } from "../errors.js";
import { withExamples } from "../examples.js";

const refText = (ref: Settings["source"]): string => ("id" in ref ? ref.id : ref.name);

function describe(outcome: EnsureOutcome, dryRun: boolean, lines: { channel: string; subscription: string }): string[] {
  const verb = (created: boolean, id: string | undefined) => (created ? (dryRun ? "would be created" : `created (${id})`) : `exists (${id})`);
  const out = [`${lines.channel}: ${verb(outcome.channel.created, outcome.channel.id)}`];
  const differs = outcome.subscription.differs ? `; left as it is, although ${outcome.subscription.differs}` : "";
  out.push(`${lines.subscription}: ${verb(outcome.subscription.created, outcome.subscription.id)}${differs}`);
  return out;
}

/**
 * `subscribe`: creates, once, the ICA notification channel `--events` names and a filtered ICA_EXEC_028
 * subscription on every source project, so that ICA tells `watch --events` of finished BCLConvert
 * analyses. What exists already (the channel by type and address, the subscription by event code and
 * channel) is left alone: running it again changes nothing.
 */
export function subscribeCommand(scope: CommandScope): Command {
  const command = new Command("subscribe")
    .summary("create the ICA notification channel and ICA_EXEC_028 subscription --events needs (idempotent)")
    .description(
      "For --events sqs://<queue-url> an SQS channel on the queue, for --events http://… an HTTP channel on " +
        "events_address (or the receiver's own URL), and on each source project an ICA_EXEC_028 (analysis status " +
        "change) subscription to it, filtered to BCLConvert pipelines (bclconvert_pattern). Existing ones are " +
        "found and kept; with --dry_run nothing is created. The queue and its policy are the lab's to set up " +
        "(docs/events.md). Exit status: 0 in place (or would be), 2 no --events or a bad setting.",
    );
  addCycleOptions(command);
  withExamples(command, [
    ["an SQS queue ICA's AWS account may send to", "ica-orchestrator subscribe --config lab.json --events sqs://https://sqs.eu-central-1.amazonaws.com/123456789012/ica-events"],
    ["what it would create", "ica-orchestrator subscribe --config lab.json --dry_run"],
  ]);
  return command.action(async () => {
    const { context } = scope;
    const { settings } = await loadSettings({ flags: cycleFlags(command), env: context.env, homeDir: context.homeDir, cwd: context.cwd });
    const [first] = settings as [Settings];
    if (first.events === undefined) {
      throw new ConfigError("subscribe: events is not set; pass --events sqs://<queue-url> or --events http://host:port/path, or set events in the config file");
    }
    const spec = channelSpecOf(first.events, first.eventsAddress);
    scope.redactor.add(first.apiKey);
    const ica = new IcaClient({ serverUrl: first.icaBaseUrl, apiKey: first.apiKey, timeoutMs: first.requestTimeoutMs });
    const done = new Set<string>();
    for (const pair of settings) {
      const project = await resolveProject(ica, refText(pair.source));
      const filterExpression = bclConvertFilter(pair.bclConvertPattern);
      if (done.has(`${project.id}\u0000${filterExpression}`)) continue;
      done.add(`${project.id}\u0000${filterExpression}`);
      const outcome = await ensureSubscription(ica, { projectId: project.id, spec, filterExpression, dryRun: first.dryRun });
      const lines = describe(outcome, first.dryRun, {
        channel: `${spec.type} channel ${spec.address}`,
        subscription: `ICA_EXEC_028 subscription on "${project.name}" (${project.id}) filtered ${filterExpression}`,
      });
      context.stdout.write(`${lines.join("\n")}\n`);
    }
    scope.setExitCode(exitCodes.ok);
  });
}
