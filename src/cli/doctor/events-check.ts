import { ConfigError, type Settings } from "../../config/index.js";
import type { IcaClient } from "../../ica/client.js";
import { resolveProject } from "../../modules/launch/index.js";
import { channelSpecOf, findSubscription } from "../../modules/monitor/events/index.js";
import type { CheckResult } from "./checklist.js";

const fix = "run ica-orchestrator subscribe with the same settings (it creates only what is missing)";
const refText = (ref: Settings["source"]): string => ("id" in ref ? ref.id : ref.name);

/** With `--events`: the channel it names exists and each source project has an enabled ICA_EXEC_028 subscription to it. */
export async function checkEventSubscriptions(ica: IcaClient, all: readonly Settings[]): Promise<CheckResult[]> {
  const [first] = all;
  if (first?.events === undefined) return [];
  const name = "events subscription";
  let spec;
  try {
    spec = channelSpecOf(first.events, first.eventsAddress);
  } catch (error) {
    if (error instanceof ConfigError) return [{ name, status: "fail", detail: error.message }];
    throw error;
  }
  const results: CheckResult[] = [];
  for (const source of new Set(all.map((s) => refText(s.source)))) {
    try {
      const project = await resolveProject(ica, source);
      const found = await findSubscription(ica, project.id, spec);
      const where = `${spec.type} channel ${spec.address}`;
      if (!found.channel) results.push({ name, status: "fail", detail: `no ${where}: ICA sends no events`, fix });
      else if (!found.subscription) results.push({ name, status: "fail", detail: `"${project.name}" has no ICA_EXEC_028 subscription to ${where}`, fix });
      else if (!found.subscription.enabled || !found.channel.enabled) {
        results.push({ name, status: "fail", detail: `the ICA_EXEC_028 subscription of "${project.name}" to ${where} is disabled`, fix: "enable it in ICA (Project Settings > Notifications)" });
      } else results.push({ name, status: "ok", detail: `"${project.name}" sends ICA_EXEC_028 to ${where}` });
    } catch (error) {
      results.push({ name, status: "fail", detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}
