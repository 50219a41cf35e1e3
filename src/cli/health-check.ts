import { cycleReportSchema } from "../orchestrator/index.js";
import { readReportsSince, requireStateDir } from "../state/index.js";

/** What health reads of a report: enough to tell the pairs apart and whether a cycle succeeded. */
const reportFacts = cycleReportSchema.pick({ cycleId: true, outcome: true, finishedAt: true, source: true, destination: true });

export interface Health {
  healthy: boolean;
  /** One line saying why, for the container's health log and a person. */
  line: string;
}

const projectLabel = (project: { id: string; name: string }): string => project.name || project.id;

/**
 * Healthy when a cycle succeeded in the last `maxAgeMinutes`, and no pair whose cycles ran in that time
 * only failed. Reads the reports of the cycles that started in the window (a few files however long
 * the history) and no credential. Cycles stopped by bad configuration write no report: their pair
 * drops out of the window and, if it was the only one, the check fails once its last success ages.
 */
export async function checkHealth(stateDir: string, maxAgeMinutes: number, now: Date): Promise<Health> {
  const paths = await requireStateDir(stateDir);
  const since = new Date(now.getTime() - maxAgeMinutes * 60_000);
  const recent = await readReportsSince(paths, since, reportFacts);
  const window = `in the last ${maxAgeMinutes} minutes`;
  if (recent.length === 0) {
    return { healthy: false, line: `unhealthy: no cycle report ${window} in ${paths.reports}: is the schedule (watch, timer, cron) running?` };
  }
  // Newest first: the first report of a pair is its latest; its first "ok" its last success.
  const pairs = new Map<string, { latest: (typeof recent)[number]; success?: (typeof recent)[number] }>();
  for (const stored of recent) {
    const pair = `${projectLabel(stored.report.source)} → ${projectLabel(stored.report.destination)}`;
    const seen = pairs.get(pair) ?? { latest: stored };
    if (seen.success === undefined && stored.report.outcome === "ok") seen.success = stored;
    pairs.set(pair, seen);
  }
  const failing = [...pairs].filter(([, seen]) => seen.success === undefined);
  if (failing.length > 0) {
    const described = failing.map(([pair, { latest }]) => `${pair} (latest ${latest.cycleId}: ${latest.report.outcome}, ${latest.path})`);
    return { healthy: false, line: `unhealthy: no successful cycle ${window} of ${described.join("; ")}` };
  }
  const oldest = Math.min(...[...pairs.values()].map((seen) => Date.parse(seen.success?.report.finishedAt ?? "")));
  const minutes = Math.max(0, Math.round((now.getTime() - oldest) / 60_000));
  return { healthy: true, line: `healthy: every pair that ran ${window} succeeded, the oldest of their last successes ${minutes} min ago` };
}
