import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { printStatus } from "../../src/cli/commands/status.js";
import { errorOutcome, exitCodes } from "../../src/cli/errors.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { StateStatus } from "../../src/cli/status-report.js";
import type { StoredCycleReport } from "../../src/orchestrator/cycle-report.js";
import { StateDirError, addManagedRows, ensureStateDir, newCycleId, openJournal, writeCycleReport } from "../../src/state/index.js";
import { capturedContext, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir("ica-orch-status-");
});
afterEach(async () => {
  await dir.cleanup();
});

const analysisA = "3c1e9a52-7b0d-4f6e-9a21-5d8c0b7e4f13";
const analysisB = "8f2d4b61-0c3a-4e57-b8d9-1a6e2c9f5b70";
const inFlight = "b7a05e3d-92c4-41f8-a6e1-0d3f7c8b2a94";

function report(cycleId: string, reportPath: string): StoredCycleReport {
  return {
    cycleId,
    dryRun: false,
    outcome: "failures",
    startedAt: "2025-06-01T10:00:00.000Z",
    finishedAt: "2025-06-01T10:00:04.200Z",
    durationMs: 4200,
    source: { id: "src-id", name: "core-bssh-runs" },
    destination: { id: "dst-id", name: "mgi-fastq-delivery" },
    plan: { generatedAt: "2025-06-01T10:00:00.000Z", steps: [] },
    steps: [{ name: "manageNew", counts: { linked: 12, manifests: 2 }, warnings: [], errors: ["link batch failed for fil.9"] }],
    warnings: [],
    errors: ["[manageNew] link batch failed for fil.9"],
    actions: [],
    apiCalls: { total: 57, byRoute: { "ica GET /api/projects": 2 } },
    reportPath,
  };
}

/** A state directory as a few cycles leave it: table rows, work in flight, a report. */
async function prepareState(stateDir: string): Promise<string> {
  const paths = await ensureStateDir(stateDir);
  await addManagedRows(join(stateDir, "analyses_managed_table.txt"), [
    { analysisId: analysisA, runId: "20250114_LH00619_0042_A22FKWLT4" },
    { analysisId: analysisB, runId: "Unknown" },
  ]);
  const journal = await openJournal(paths.journal, { now: () => new Date("2025-06-01T10:00:01.000Z") });
  journal.beginCycle("2025-06-01T10-00-00.000Z-abcd");
  journal.startManaging(inFlight, "250203_VH00154_611_2233KLMNX");
  journal.recordLinked(inFlight, ["fil.1", "fil.2"]);
  journal.setStep(inFlight, "manifest");
  journal.requestIcaDelete("fol.77", { projectId: "src-id", analysisId: analysisA, path: "/ilmn-analyses/run_a/" });
  journal.recordBasespaceRestore("ds.5", "dataset");
  journal.recordTrashed("ds.6", "dataset", "M-175-003");
  journal.finishCycle();
  await journal.save();
  const cycleId = newCycleId(new Date("2025-06-01T10:00:00.000Z"));
  const path = join(paths.reports, `${cycleId}.json`);
  await writeCycleReport(paths, cycleId, report(cycleId, path));
  return path;
}

describe("status", () => {
  it("shows managed analyses, pending work from the journal and the last report, without credentials", async () => {
    const stateDir = join(dir.path, "state");
    const reportPath = await prepareState(stateDir);
    const before = await readdir(stateDir, { recursive: true });
    const context = capturedContext({ cwd: dir.path });
    await printStatus(context, { state_dir: stateDir }, { json: false });
    const out = context.out();
    expect(out).toContain(`State directory: ${stateDir}\n`);
    expect(out).toContain(`Managed analyses: 2 in ${join(stateDir, "analyses_managed_table.txt")}\n  ${analysisA}  20250114_LH00619_0042_A22FKWLT4\n  ${analysisB}  Unknown\n`);
    expect(out).toContain("Cycles run: 1; last 2025-06-01T10-00-00.000Z-abcd (finished 2025-06-01T10:00:01.000Z)");
    expect(out).toContain(`  analyses being managed: 1\n    ${inFlight}  next step: manifest, 2 file(s) linked, since 2025-06-01T10:00:01.000Z\n`);
    expect(out).toContain("  ICA data waiting for unarchive before deletion: 1\n    fol.77  /ilmn-analyses/run_a/  requested 2025-06-01T10:00:01.000Z\n");
    expect(out).toContain("  BaseSpace restores in progress: 1\n    dataset ds.5  requested");
    expect(out).toContain("  items this tool moved to the BaseSpace trash: 1\n");
    expect(out).toContain(`Last cycle's report: ${reportPath}`);
    expect(out).toMatch(/Cycle 2025-06-01T10-00-00\.000Z-[0-9a-f]{4}: failures in 4\.2 s/);
    expect(out).toContain("link batch failed for fil.9");
    expect(context.err()).toBe("");
    expect(await readdir(stateDir, { recursive: true })).toEqual(before);
  });

  it("prints the same as one JSON document with --json", async () => {
    const stateDir = join(dir.path, "state");
    await prepareState(stateDir);
    const context = capturedContext({ cwd: dir.path, env: { ICA_ORCHESTRATOR_STATE_DIR: "state" } });
    await printStatus(context, {}, { json: true });
    const status = JSON.parse(context.out()) as StateStatus;
    expect(status).toMatchObject({
      stateDir,
      managedTables: [{ count: 2 }],
      journal: { cycles: { count: 1 }, managing: { [inFlight]: { step: "manifest" } }, pendingIcaDeletes: { "fol.77": {} } },
      lastReport: { report: { outcome: "failures", apiCalls: { total: 57 } } },
    });
  });

  it("says there is no state directory where it looks (exit 2 through StateDirError), and creates nothing", async () => {
    const context = capturedContext({ cwd: dir.path });
    const failure = await printStatus(context, {}, { json: false }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StateDirError);
    expect(errorOutcome(failure)).toEqual({
      code: exitCodes.usage,
      message: expect.stringMatching(new RegExp(`^no state directory at ${join(dir.path, ".ica-orchestrator")}: no cycle has run with it .*pass the --state_dir or --config the cycles use`)),
    });
    expect(context.out()).toBe("");
    expect(await readdir(dir.path)).toEqual([]);
  });

  it("runs end to end from another directory: exit 2 and the one line on stderr", async () => {
    const context = capturedContext({ cwd: dir.path });
    expect(await runCli(["status", "--json"], context)).toBe(exitCodes.usage);
    expect(context.err()).toMatch(/no state directory at \S+\.ica-orchestrator: /);
    expect(context.out()).toBe("");
  });
});
