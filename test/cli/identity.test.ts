import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";
import type { Simulator } from "../../src/simulator/server.js";
import { instantTimings } from "../orchestrator/cycle-harness.js";
import { testApiKey, testToken } from "../orchestrator/cycle-settings.js";
import { agesFixture, analysisId, BS_PROJECT, BS_USER, datasetId, referenceOf } from "../orchestrator/lifecycle-fixture.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

// One ICA-managed analysis 120 days old (its folder is deleted) and a BSSH-managed one, 200 days old,
// whose bsshoutput.json names the BaseSpace project `Aged_Project` that holds a 120-day-old dataset.
const ages = [120];
const agedDataset = datasetId(12000);
const bsshAnalysis = analysisId(1);

interface Report {
  warnings: string[];
  actions: Array<{ step: string; action: string; ids: string[]; paths?: string[] }>;
}

let dir: { path: string; cleanup(): Promise<void> };
let sims: Simulator[] = [];
beforeEach(async () => {
  dir = await tempDir("ica-orch-identity-");
  sims = [];
});
afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.stop()));
  await dir.cleanup();
});

/** The ages fixture, changed: what a person did in BaseSpace or ICA since (or before) the analysis. */
function fixture(change: (f: FixtureInput & { basespace: NonNullable<FixtureInput["basespace"]> }) => void = () => {}): FixtureInput {
  const f = structuredClone(agesFixture({ ages })) as FixtureInput & { basespace: NonNullable<FixtureInput["basespace"]> };
  change(f);
  return f;
}

/** Replaces the bsshoutput.json of the BSSH-managed analysis. */
function bsshOutput(f: FixtureInput, projects: Record<string, { Name: string; Id?: string }>): void {
  const marker = f.ica?.analyses?.find((a) => a.id === bsshAnalysis)?.files?.find((file) => file.path === "bsshoutput.json");
  if (!marker) throw new Error("the ages fixture has no bsshoutput.json");
  marker.content = JSON.stringify({ Projects: projects });
}

/** One `run` against a simulator of `input`; the state directory is kept across calls. */
async function runAgainst(input: FixtureInput, extra: string[] = ["--basespace_runs", "none"]): Promise<Report> {
  const sim = await startCliSimulator(dir.path, { fixture: input, icaApiKey: testApiKey, basespaceToken: testToken, timings: instantTimings });
  sims.push(sim);
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(["run", ...simulatorArgs(sim, dir.path), ...extra], context);
  expect(code, context.err()).toBe(0);
  const reports = (await readdir(join(dir.path, "state", "reports"))).sort();
  return JSON.parse(await readFile(join(dir.path, "state", "reports", reports.at(-1) ?? ""), "utf8")) as Report;
}

const datasetActions = (report: Report) =>
  report.actions.filter((a) => a.step === "basespaceLifecycle" && a.ids.some((id) => id.startsWith("ds.")));

describe("identity by id, never by a name that may have moved", () => {
  it("acts on the project bsshoutput.json names by id while it carries that name", async () => {
    const named = await runAgainst(fixture());
    expect(datasetActions(named).flatMap((a) => a.ids)).toContain(agedDataset);
  });

  it("leaves that project alone once it carries another name", async () => {
    const renamed = await runAgainst(fixture((f) => {
      const project = f.basespace.projects?.[0];
      if (project) project.name = "Renamed_Project";
    }));
    expect(datasetActions(renamed)).toEqual([]);
    expect(renamed.warnings).toContainEqual(expect.stringContaining(`BaseSpace project ${BS_PROJECT} is named 'Renamed_Project' now, not 'Aged_Project' as bsshoutput.json says; skipped`));
  });

  it("leaves alone a project created after the analysis that names it had finished", async () => {
    const report = await runAgainst(fixture((f) => {
      const project = f.basespace.projects?.[0];
      if (project) project.createdDaysAgo = 10;
    }));
    expect(datasetActions(report)).toEqual([]);
    expect(report.warnings).toContainEqual(
      expect.stringMatching(/BaseSpace project 'Aged_Project' \[80000001\] was created \S+, after analysis bssh-managed that names it finished \(\S+\), so it cannot hold that analysis' output; skipped/),
    );
  });

  it("remembers which project a bare name resolved to, and skips the name once it resolves to another project", async () => {
    const nameOnly = (f: FixtureInput) => bsshOutput(f, { [BS_PROJECT]: { Name: "Aged_Project" } });
    const first = await runAgainst(fixture(nameOnly));
    expect(datasetActions(first).flatMap((a) => a.ids)).toContain(agedDataset);
    const journal = JSON.parse(await readFile(join(dir.path, "state", "journal.json"), "utf8")) as { identities: Record<string, string> };
    expect(journal.identities).toEqual({ "bs-project:Aged_Project": BS_PROJECT });

    // Since then a person renamed the project, and gave its old name to another (older) project.
    const impostor = "80000002";
    const second = await runAgainst(fixture((f) => {
      nameOnly(f);
      const project = f.basespace.projects?.[0];
      if (project) project.name = "Aged_Project_2024";
      f.basespace.projects?.push({ id: impostor, name: "Aged_Project", ownerId: BS_USER, createdDaysAgo: 400 });
      f.basespace.datasets?.push({ id: datasetId(99), projectId: impostor, name: "Not-Ours", createdDaysAgo: 150, sizeBytes: 1000, isArchived: false });
    }));
    expect(datasetActions(second)).toEqual([]);
    expect(second.warnings).toContainEqual(
      expect.stringContaining(`BaseSpace project 'Aged_Project' resolves to ${impostor} now but resolved to ${BS_PROJECT} in an earlier cycle; skipped`),
    );
  });

  it("leaves alone an ICA output folder whose path is no longer the one its analysis left it at", async () => {
    // A first cycle classifies the analysis (remembering its folder's id and path) and deletes the folder.
    const first = await runAgainst(fixture());
    const deleted = first.actions.filter((a) => a.step === "icaLifecycle");
    expect(deleted.map((a) => a.action)).toEqual(["delete"]);

    // A new simulator has the folder again, under the same id; the journal remembers it at another
    // path, as if a person had moved it since it was classified.
    const journalPath = join(dir.path, "state", "journal.json");
    const journal = JSON.parse(await readFile(journalPath, "utf8")) as {
      classifications: Record<string, { outputFolderPath?: string; outputStatus?: unknown }>;
    };
    const classified = journal.classifications[analysisId(12000)];
    if (!classified) throw new Error("the ICA-managed analysis was not classified");
    const actualPath = classified.outputFolderPath;
    classified.outputFolderPath = `/kept-by-a-person/${referenceOf(120)}/`;
    delete classified.outputStatus;
    await writeFile(journalPath, JSON.stringify(journal));

    const second = await runAgainst(fixture());
    expect(second.actions.filter((a) => a.step === "icaLifecycle")).toEqual([]);
    expect(second.warnings).toContainEqual(
      expect.stringContaining(`output folder ${deleted[0]?.ids[0]} is at ${actualPath} now, not at /kept-by-a-person/${referenceOf(120)}/ where its analysis left it; left alone`),
    );
  });

  it("with basespace_runs related, acts on a run only when its name is unique and the run predates the analysis", async () => {
    // Three analyses whose references name run folders, 200 days old; their runs are all past days_to_delete.
    const folders = { ok: "20250101_LH00619_0001_BRUNAAAAA", later: "20250102_LH00619_0002_BRUNBBBBB", twice: "20250103_LH00619_0003_BRUNCCCCC" };
    const input = fixture((f) => {
      const template = f.ica?.analyses?.find((a) => a.id === analysisId(12000));
      if (!template) throw new Error("the ages fixture has no ICA-managed analysis");
      Object.values(folders).forEach((folder, i) => {
        f.ica?.analyses?.push({ ...structuredClone(template), id: analysisId(90 + i), reference: `${folder}_a912e3_9d578d-DRAGEN-x`, userReference: folder, createdDaysAgo: 200, startDaysAgo: 200, endDaysAgo: 199.9 });
      });
      const run = (id: string, name: string, createdDaysAgo: number) => ({ id, name, experimentName: name, ownerId: BS_USER, createdDaysAgo, sizeBytes: 1000, isArchived: false });
      f.basespace.runs = [
        run("61000001", folders.ok, 201),
        run("61000002", folders.later, 150),
        run("61000003", folders.twice, 201),
        run("61000004", folders.twice, 202),
      ];
    });
    const report = await runAgainst(input, ["--basespace_runs", "related"]);
    const runIds = report.actions.filter((a) => a.action === "trash").flatMap((a) => a.ids).filter((id) => id.startsWith("61"));
    expect(runIds).toEqual(["61000001"]);
    expect(report.warnings).toContainEqual(expect.stringContaining(`BaseSpace run name '${folders.twice}' matches 2 runs (61000004, 61000003); skipped`));
    expect(report.warnings).toContainEqual(
      expect.stringMatching(new RegExp(`BaseSpace run '${folders.later}' \\[61000002\\] was created \\S+, after analysis ${folders.later}_\\S+ that names it finished`)),
    );
  });
});
