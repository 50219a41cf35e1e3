import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { exitCodes } from "../../src/cli/errors.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { CycleOutcome } from "../../src/orchestrator/cycle-report.js";
import { ensureStateDir, newCycleId, writeCycleReport } from "../../src/state/index.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let stateDir: string;
beforeEach(async () => {
  dir = await tempDir("ica-orch-health-");
  stateDir = join(dir.path, "state");
});
afterEach(async () => {
  await dir.cleanup();
});

/** A report of a cycle of `source` that started `minutesAgo` before now (the ages are minutes apart from any test's duration). */
async function cycleReport(minutesAgo: number, outcome: CycleOutcome, source = "core-bssh-runs"): Promise<void> {
  const paths = await ensureStateDir(stateDir);
  const startedAt = new Date(Date.now() - minutesAgo * 60_000);
  const cycleId = newCycleId(startedAt);
  await writeCycleReport(paths, cycleId, {
    cycleId,
    outcome,
    finishedAt: new Date(startedAt.getTime() + 30_000).toISOString(),
    source: { id: `${source}-id`, name: source },
    destination: { id: "dst-id", name: "mgi-fastq-delivery" },
  });
}

async function health(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(["health", "--state_dir", stateDir, ...args], context);
  return { code, out: context.out(), err: context.err() };
}

describe("health", () => {
  it("exits 0 while the last successful cycle is younger than --max_age_minutes, 1 once it is older", async () => {
    await cycleReport(50, "ok");
    await cycleReport(40, "failures");
    expect(await health()).toEqual({ code: exitCodes.ok, out: expect.stringMatching(/^healthy: .* last successes 50 min ago\n$/), err: "" });
    const stale = await health("--max_age_minutes", "45");
    expect(stale.code).toBe(exitCodes.failures);
    expect(stale.out).toMatch(/^unhealthy: no successful cycle in the last 45 minutes of core-bssh-runs → mgi-fastq-delivery \(latest \S+: failures, \S+\.json\)\n$/);
  });

  it("is unhealthy when one pair only failed while another succeeded, and when no cycle ran at all", async () => {
    await cycleReport(20, "ok", "core-bssh-runs");
    await cycleReport(15, "failures", "collaborator-runs");
    await cycleReport(5, "aborted", "collaborator-runs");
    const mixed = await health("--max-age-minutes", "30");
    expect(mixed.code).toBe(exitCodes.failures);
    expect(mixed.out).toMatch(/of collaborator-runs → mgi-fastq-delivery \(latest \S+: aborted/);
    expect(mixed.out).not.toContain("core-bssh-runs");

    const quiet = await health("--max_age_minutes", "3");
    expect(quiet.code).toBe(exitCodes.failures);
    expect(quiet.out).toMatch(/^unhealthy: no cycle report in the last 3 minutes in \S+reports: is the schedule/);
  });

  it("exits 2 with no state directory where it looks, and for a bad --max_age_minutes", async () => {
    const missing = await health();
    expect(missing.code).toBe(exitCodes.usage);
    expect(missing.err).toMatch(/no state directory at \S+state: /);
    expect((await health("--max_age_minutes", "0")).code).toBe(exitCodes.usage);
  });

  it("is healthy right after a real cycle against the simulator", async () => {
    const sim = await startCliSimulator(dir.path);
    try {
      const context = capturedContext({ cwd: dir.path });
      expect(await runCli(["run", ...simulatorArgs(sim, dir.path)], context)).toBe(exitCodes.ok);
    } finally {
      await sim.stop();
    }
    expect(await health("--max_age_minutes", "5")).toMatchObject({ code: exitCodes.ok, out: expect.stringMatching(/^healthy: /) });
  });
});
