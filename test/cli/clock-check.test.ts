import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";

import type { Simulator } from "../../src/simulator/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../notify/receivers.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";
import type { StoredCycleReport } from "../../src/orchestrator/cycle-report.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let webhook: WebhookReceiver;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-clock-");
  sim = await startCliSimulator(dir.path);
  webhook = await startWebhookReceiver();
  args = [...simulatorArgs(sim, dir.path), "--notify_webhook_url", webhook.url];
});
afterEach(async () => {
  await webhook.close();
  await sim.stop();
  await dir.cleanup();
});

async function runOnce(): Promise<{ code: number; err: string; report: StoredCycleReport }> {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(["run", ...args], context);
  const reportsDir = join(dir.path, "state", "reports");
  const [name] = await readdir(reportsDir);
  const report = JSON.parse(await readFile(join(reportsDir, name ?? "?"), "utf8")) as StoredCycleReport;
  return { code, err: context.err(), report };
}

const retiring = (report: StoredCycleReport): string[] =>
  report.actions.filter((a) => a.step === "icaLifecycle" || a.step === "basespaceLifecycle").map((a) => a.action);

describe("the local clock is checked against the servers' Date headers", () => {
  it("10 minutes off: delivers, archives and deletes nothing, reports and alerts the error, logs both times", async () => {
    // The servers' clock moves ahead of the local one: to the tool, the local clock is 10 minutes behind.
    sim.advanceClock(10 * 60_000);
    const { code, err, report } = await runOnce();

    expect(code).toBe(1);
    expect(report.errors).toEqual([
      expect.stringMatching(/^\[checkClock\] the local clock is 60\d s behind the servers' clock \(more than 5 min\): nothing is archived or deleted/),
    ]);
    expect(report.actions.some((a) => a.action === "link")).toBe(true);
    expect(retiring(report)).toEqual([]);
    expect(Object.keys(sim.stats().byRoute).filter((route) => /archive|delete|trash/i.test(route) && !route.startsWith("GET"))).toEqual([]);
    expect(err).toMatch(/clock check failed: local clock \d{4}-\S+Z, server clock \d{4}-\S+Z/);
    expect(webhook.posts.map((p) => JSON.stringify(p.body))).toEqual([expect.stringContaining("behind the servers' clock")]);
  });

  it("a few minutes off: warns, measures every age on the servers' clock, and retires aged data as usual", async () => {
    sim.advanceClock(4 * 60_000);
    const { code, report } = await runOnce();

    expect(code).toBe(0);
    expect(report.warnings.join("\n")).toMatch(/\[checkClock\] the local clock is 2\d\d s behind the servers' clock/);
    expect(retiring(report).length).toBeGreaterThan(0);
    // The plan's instant (the one ages are measured from) is the servers' time at the cycle's start.
    const aheadMs = Date.parse((report.plan as { generatedAt: string }).generatedAt) - Date.parse(report.startedAt);
    expect(Math.abs(aheadMs - 4 * 60_000)).toBeLessThan(5_000);
  });
});
