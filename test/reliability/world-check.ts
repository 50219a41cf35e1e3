// Runs one random world (random-world.ts) through the real cycle, in-process against a fresh
// simulator, and judges it with the oracle. Shared by the test and the worker threads that spread the
// thousand worlds over the cores.
import { existsSync } from "node:fs";
import type { Settings, SettingsDraft } from "../../src/config/index.js";
import { IcaClient } from "../../src/ica/client.js";

import type { SeenRequest } from "./api-proxy.js";
import { DESTINATION_NAME, SOURCE_ID, SOURCE_NAME, worldFixture, type PersonAct, type World } from "./random-world.js";

type PersonActionInput = PersonHookInput["actions"][number];
import { requestKind, safetyViolations, type IcaDataEntry } from "./safety-oracle.js";
import { Scenario } from "./scenario.js";
import { findLeaks } from "./secrets.js";
import type { PersonHookInput } from "../../src/simulator/person-hooks.js";

const DAY_MS = 86_400_000;
/** Simulated time every world is loaded at, so its "days ago" are exact. */
export const loadedAtMs = Date.UTC(2025, 5, 1, 12);

export interface WorldResult {
  violations: string[];
  /** Mutating requests per kind (requestKind), to show the properties were put to the test. */
  kinds: Record<string, number>;
}

/** The source project's data (ids → paths): the oracle maps the ids in request paths with it. */
async function sourceData(s: Scenario): Promise<Map<string, IcaDataEntry>> {
  const ica = new IcaClient({ serverUrl: s.sim.icaUrl, apiKey: s.sim.apiKey });
  const data = new Map<string, IcaDataEntry>();
  for await (const item of ica.listData(SOURCE_ID)) data.set(item.id, { projectId: SOURCE_ID, path: item.path });
  return data;
}

/** The settings of a world's run, as the CLI would build them for the scenario's simulator. */
export function worldSettings(s: Scenario, world: World, overrides: Partial<SettingsDraft> = {}): Settings {
  const w = world.settings;
  return s.settings({
    source: { name: SOURCE_NAME },
    destination: { name: DESTINATION_NAME },
    daysToArchive: w.daysToArchive,
    daysToDelete: w.daysToDelete,
    deleteCap: w.deleteCap,
    protect: w.protect,
    basespaceRuns: w.basespaceRuns,
    emptyTrash: w.emptyTrash,
    dryRun: w.dryRun,
    ...overrides,
  });
}

function personAction(person: PersonAct): PersonActionInput {
  return person.kind === "trash"
    ? { kind: "request", method: "DELETE", path: `/v2/datasets/${person.itemId}` }
    : { kind: "restore-from-trash", itemId: person.itemId };
}

/** Index (in this cycle's requests) of the request the person acted after; null when they did not act. */
function personActedAfter(world: World, requests: readonly SeenRequest[], results: number[] | null): number | null {
  if (!world.person || results?.[0] !== 200) return null;
  const after = world.person.after === "DELETE /v2/trash" ? /^DELETE \/v2\/trash$/ : /^DELETE \/v2\/datasets\/[^/]+$/;
  const index = requests.findIndex((r) => after.test(`${r.method} ${r.path}`));
  return index < 0 ? null : index;
}

export async function checkWorld(world: World): Promise<WorldResult> {
  const s = await Scenario.start({ fixture: worldFixture(world), startMs: loadedAtMs });
  try {
    const { settings: w } = world;
    const settings = worldSettings(s, world);
    const violations: string[] = [];
    const kinds: Record<string, number> = {};
    // Source-project ids do not change between cycles; whatever a cycle creates lives elsewhere.
    const data = await sourceData(s);
    const cycles = world.secondCycleAfterDays === null ? [0] : [0, world.secondCycleAfterDays];
    if (world.fault) s.sim.setFaults({ rules: [{ route: world.fault.route, rate: 1, kinds: [world.fault.kind], retryAfterSeconds: 0, limit: 1 }] });
    if (world.person) s.sim.addPersonHook({ after: world.person.after, actions: [personAction(world.person)] });
    let personActed = false;
    for (const [n, advanceDays] of cycles.entries()) {
      if (advanceDays > 0) s.sim.advanceClock(advanceDays * DAY_MS);
      if (n > 0) s.sim.setFaults({ rules: [] });
      const digest = s.sim.state().digest;
      const mutating = s.sim.stats().mutating;
      const firstRequest = s.proxy.requests.length;
      const report = await s.cycle(settings);
      const requests = s.proxy.requests.slice(firstRequest);
      for (const kind of requests.map(requestKind)) if (kind !== null) kinds[kind] = (kinds[kind] ?? 0) + 1;
      // The person acted right after the first request matching their hook, if their action succeeded.
      const acted: number | null = personActed ? -1 : personActedAfter(world, requests, s.sim.personHooks()[0]?.results ?? null);
      if (acted !== null && !personActed) kinds[`person ${world.person?.kind}`] = (kinds[`person ${world.person?.kind}`] ?? 0) + 1;
      const found = safetyViolations(world, { requests, loadedAtMs, endedAtMs: s.sim.clock.now(), data, personActedAfter: acted });
      personActed ||= acted !== null;
      const problems = [...found];
      if (report.outcome !== "ok" && report.outcome !== "failures") problems.push(`outcome ${report.outcome}`);
      if (w.dryRun) {
        const made = s.sim.stats().mutating - mutating;
        if (made !== 0) problems.push(`dry run made ${made} mutating request(s)`);
        if (s.sim.state().digest !== digest) problems.push("dry run changed the simulator's state");
        if (existsSync(s.stateDir)) problems.push("dry run created the state directory");
      }
      violations.push(...problems.map((v) => `cycle ${n + 1}: ${v}`));
    }
    violations.push(...findLeaks(await s.outputs(), s.secrets).map((leak) => `secret leaked: ${leak}`));
    return { violations, kinds };
  } finally {
    await s.close();
  }
}
