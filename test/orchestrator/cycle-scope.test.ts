import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/index.js";
import { IcaClient } from "../../src/ica/client.js";
import { ProjectResolutionError } from "../../src/modules/launch/index.js";
import type { CycleReport } from "../../src/orchestrator/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { acquireStateLock, openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { cycle, cycleAt, cycleSettings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";
import { agesFixture } from "./lifecycle-fixture.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const mutatingRoutes = (sim: Simulator, prefix: string) =>
  Object.keys(sim.stats().byRoute).filter((route) => !route.startsWith("GET") && route.includes(prefix));

describe("what a cycle may touch", () => {
  let sim: Simulator;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  beforeEach(async () => {
    sim = await startCycleSimulator();
    state = await tempStateDir();
  });
  afterEach(async () => {
    await sim.stop();
    await state.remove();
  });

  const analysisByPrefix = (prefix: string) => sim.fixture.ica.analyses.find((a) => a.id.startsWith(prefix));
  const bsProject = (name: string) => sim.fixture.basespace.projects.find((p) => p.name === name)?.id;

  it("acts on ICA data of ICA-managed analyses only, and on BaseSpace datasets of the projects BSSH-managed ones name", async () => {
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 0 });
    const report = await cycle(sim, settings);
    // What the first cycle delivers, the second retires.
    const ica = (await cycle(sim, settings)).actions.filter((a) => a.step === "icaLifecycle");
    const icaManaged = ["a0000010", "a0000012", "a0000013"].map((p) => analysisByPrefix(p)?.reference ?? "?");
    expect(ica.length).toBeGreaterThan(0);
    expect(ica.flatMap((a) => a.paths ?? []).every((path) => icaManaged.some((ref) => path.includes(ref)))).toBe(true);

    const named = new Set([bsProject("CoreRuns_2025_Q3"), bsProject("Chen_Lab_WGS_Cohort")]);
    const datasetsActedOn = new Set(
      report.actions.filter((a) => a.step === "basespaceLifecycle" && a.action !== "empty-trash").flatMap((a) => a.ids).filter((id) => id.startsWith("ds.")),
    );
    const datasets = sim.fixture.basespace.datasets.filter((d) => datasetsActedOn.has(d.id));
    expect(datasets.length).toBeGreaterThan(0);
    expect(datasets.every((d) => named.has(d.projectId))).toBe(true);
    // Every run is in scope (basespace_runs = all), but only the aged ones are acted on.
    const runs = sim.fixture.basespace.runs.filter((r) => report.actions.some((a) => a.ids.includes(r.id)));
    expect(runs.every((r) => r.createdDaysAgo >= 60)).toBe(true);

    // The source project's loose file (200 days old, no analysis) is still there, untouched.
    const client = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
    const source = sim.fixture.ica.projects.find((p) => p.name === "core-bssh-runs")?.id ?? "";
    const scratch = await collect(client.listData(source, { filePath: ["/scratch/"], type: "FILE" }));
    expect(scratch.map((f) => [f.path, f.status])).toEqual([["/scratch/SampleSheet_draft.csv", "AVAILABLE"]]);
  });

  it("with a read-only BaseSpace token: says which actions are skipped and the exact bs auth command, and still runs the ICA steps", async () => {
    const readOnly = sim.fixture.basespace.tokens[1]?.token ?? "";
    const settings = cycleSettings(sim, state.dir, { basespaceAccessToken: readOnly, minDaysAfterDelivery: 0 });
    await cycle(sim, settings); // delivers: what it delivers is retired by the next cycle
    const report = await cycle(sim, settings);
    const command = `bs auth --force --api-server ${sim.basespaceUrl} --scopes "READ GLOBAL,BROWSE GLOBAL,MOVETOTRASH GLOBAL,EMPTY TRASH,WRITE GLOBAL"`;
    expect(report.warnings).toContain(
      `[resolve] BaseSpace token lacks scope(s) MOVETOTRASH GLOBAL, EMPTY TRASH, WRITE GLOBAL: skipping archive, restore, trash, empty-trash; fix with: ${command}`,
    );
    expect(mutatingRoutes(sim, "/v2/")).toEqual([]);
    const bsItems = report.plan.steps.find((s) => s.step === "basespaceLifecycle")?.items ?? [];
    expect(bsItems.length).toBeGreaterThan(0);
    expect(bsItems.every((i) => i.action === "skip-scope" || i.action === "wait" || i.action === "skip")).toBe(true);
    // a0000013's archived output is deleted as it is first (cheap path); ICA's refusal is not a failure.
    expect(report.actions.filter((a) => a.step === "icaLifecycle").map((a) => a.action).sort()).toEqual(["archive", "delete", "delete"]);
    expect(report.outcome).toBe("ok");
  });

  it("reads a damaged managed table: glued rows recovered, Unknown kept, nothing managed twice, the file only appended to", async () => {
    const settings = cycleSettings(sim, state.dir);
    const [a1, a2, a3, a9] = ["a0000001", "a0000002", "a0000003", "a0000009"].map((p) => analysisByPrefix(p));
    const damaged = [
      "analysis_id_managed,run_id",
      `${a1?.id},${a1?.reference}${a2?.id},${a2?.reference}`,
      `${a3?.id},`,
      `${a9?.id},Unknown`,
    ].join("\n");
    await writeFile(settings.managedTablePath, damaged);

    const report = await cycle(sim, settings);
    expect(report.warnings.some((w) => w.includes("2 rows glued on one line"))).toBe(true);
    const linked = report.actions.filter((a) => a.action === "link").flatMap((a) => a.paths ?? []);
    expect(linked.some((path) => [a1, a2, a9].some((a) => path.includes(a?.reference ?? "?")))).toBe(false);

    // The glued line stays as it was (the tool reads it, and never rewrites the table); new rows start on a line of their own.
    expect(await readFile(settings.managedTablePath, "utf8")).toMatch(new RegExp(`^${damaged.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n[0-9a-f]{8}-`));
    const table = await readManagedTable(settings.managedTablePath);
    expect(table.rows.map((r) => r.analysisId.slice(0, 8)).sort()).toEqual(
      ["a0000001", "a0000002", "a0000003", "a0000009", "a0000010", "a0000011", "a0000012", "a0000013", "a0000015"],
    );
  });

  it("a held lock skips the cycle without a call; a stale one (its holder was killed) is taken over", async () => {
    const settings = cycleSettings(sim, state.dir);
    const lock = await acquireStateLock(state.dir);
    const skipped = await cycle(sim, settings);
    expect(skipped.outcome).toBe("skipped-locked");
    expect(skipped.warnings[0]).toMatch(/another ica-orchestrator cycle holds .*lock/);
    expect(sim.stats().total).toBe(0);
    await lock.release();

    // What SIGKILL leaves: the lock directory, no longer refreshed.
    const { lock: lockPath } = statePaths(state.dir);
    await mkdir(lockPath);
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, minuteAgo, minuteAgo);
    expect((await cycle(sim, settings)).outcome).toBe("ok");
  });

  it("of two cycles started together, exactly one does the work", async () => {
    const settings = cycleSettings(sim, state.dir);
    const reports = await Promise.all([cycle(sim, settings), cycle(sim, settings)]);
    expect(reports.map((r) => r.outcome).sort()).toEqual(["ok", "skipped-locked"]);
    expect(reports.flatMap((r) => r.actions).filter((a) => a.action === "link")).toHaveLength(1);
  });

  it("after a shutdown request runs no further step, saves the journal and returns aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const settings = cycleSettings(sim, state.dir);
    const report = await cycleAt(() => new Date(sim.clock.now()), settings, undefined, controller.signal);
    expect(report.outcome).toBe("aborted");
    expect(report.steps.filter((s) => s.warnings.includes("skipped: shutdown requested")).map((s) => s.name)).toEqual([
      "resolve",
      "checkClock",
      "listAnalyses",
      "manageNew",
      "classifyAged",
      "icaLifecycle",
      "basespaceLifecycle",
    ]);
    expect(sim.stats().total).toBe(0);
    expect((await openJournal(statePaths(state.dir).journal)).data.cycles.count).toBe(1);
  });

  it("without a BaseSpace token: the ICA steps run and the BaseSpace lifecycle is skipped with a warning", async () => {
    const settings = cycleSettings(sim, state.dir, { basespaceAccessToken: undefined, minDaysAfterDelivery: 0 });
    await cycle(sim, settings); // delivers: what it delivers is retired by the next cycle
    const report = await cycle(sim, settings);
    expect(report.warnings.some((w) => w.startsWith("[resolve] no BaseSpace access token configured"))).toBe(true);
    expect(Object.keys(sim.stats().byRoute).some((route) => route.includes("/v2/") || route.includes("/v1pre3/"))).toBe(false);
    expect(report.actions.some((a) => a.step === "icaLifecycle")).toBe(true);
  });

  it("refuses unknown projects and a destination that is the source, before any change", async () => {
    await expect(cycle(sim, cycleSettings(sim, state.dir, { source: { name: "no-such-project" } }))).rejects.toThrow(
      ProjectResolutionError,
    );
    const sourceId = sim.fixture.ica.projects.find((p) => p.name === "core-bssh-runs")?.id ?? "";
    await expect(cycle(sim, cycleSettings(sim, state.dir, { destination: { id: sourceId } }))).rejects.toThrow(ConfigError);
    expect(sim.stats().mutating).toBe(0);
  });
});

describe("BSSH-managed analyses whose output is archived", () => {
  it("are classified once, with a warning that their BaseSpace projects cannot be read", async () => {
    const fixture = agesFixture({ ages: [] });
    const [bssh] = fixture.ica.analyses;
    if (!bssh) throw new Error("fixture has no BSSH-managed analysis");
    bssh.outputStatus = "ARCHIVED";
    const sim = await startCycleSimulator({ fixture });
    const state = await tempStateDir();
    try {
      const settings = cycleSettings(sim, state.dir, { basespaceRuns: "none" });
      const first: CycleReport = await cycle(sim, settings);
      expect(first.warnings.some((w) => w.includes("bsshoutput.json is ARCHIVED"))).toBe(true);
      expect(first.outcome).toBe("ok");
      sim.resetStats();
      const second = await cycle(sim, settings);
      expect(second.warnings.some((w) => w.includes("bsshoutput.json"))).toBe(false);
      expect(sim.stats().byRoute["GET /ica/rest/api/projects/{projectId}/analyses/{analysisId}/outputs"]).toBeUndefined();
    } finally {
      await sim.stop();
      await state.remove();
    }
  });
});
