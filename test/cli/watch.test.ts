import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";
import { acquireStateLock, readManagedTable } from "../../src/state/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startWebhookReceiver } from "../notify/receivers.js";
import { capturedContext, spawnCli, tempDir, until, type CapturedContext } from "./helpers.js";
import { simulatorArgs, startCliSimulator, withFlag } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-watch-");
  sim = await startCliSimulator(dir.path);
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const cyclesPrinted = (context: CapturedContext): number => context.out().match(/^Cycle \S+: /gm)?.length ?? 0;

describe("watch", () => {
  it("runs cycles on the schedule, never two at once, and stops cleanly on a shutdown request (exit 0)", async () => {
    // Every cycle lists the projects once or twice; held 1.2 s each, a cycle outlasts the 1-second ticks.
    sim.setFaults({ rules: [{ route: "GET /ica/rest/api/projects", rate: 1, kinds: ["slow"], slowMs: 1_200 }] });
    const context = capturedContext({ cwd: dir.path });
    const watching = runCli(["watch", "--schedule", "* * * * * *", ...args], context);
    await until(() => cyclesPrinted(context) >= 2 && /a cycle is already waiting: skipping this tick/.test(context.err()));
    context.shutdown("SIGINT");
    expect(await watching).toBe(0);
    expect(context.listeners()).toBe(0);
    expect(context.err()).toMatch(/SIGINT received: finishing the current step/);
    expect(context.err()).toMatch(/watch stopped/);

    const reportsDir = join(dir.path, "state", "reports");
    const reports = await Promise.all(
      (await readdir(reportsDir)).map(async (name) => JSON.parse(await readFile(join(reportsDir, name), "utf8")) as { startedAt: string; finishedAt: string }),
    );
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const spans = reports.map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? 0);
    const lock = await acquireStateLock(join(dir.path, "state"));
    await lock.release();
  });

  it("alerts once when a later tick finds the configuration broken, with the notification settings that last loaded", async () => {
    const webhook = await startWebhookReceiver();
    try {
      const config = join(dir.path, "lab.json");
      await writeFile(config, JSON.stringify({ notify_webhook_url: webhook.url }));
      const context = capturedContext({ cwd: dir.path });
      const watching = runCli(["watch", "--schedule", "* * * * * *", "--config", config, ...args], context);
      await until(() => cyclesPrinted(context) >= 1);
      await writeFile(config, "{ not json");
      const configAlerts = () => webhook.posts.filter((p) => /configuration not loaded: /.test((p.body as { text: string }).text));
      await until(() => configAlerts().length >= 1);
      await until(() => (context.err().match(/lab\.json/g)?.length ?? 0) >= 3);
      context.shutdown("SIGTERM");
      expect(await watching).toBe(0);
      expect(configAlerts()).toHaveLength(1);
      expect((configAlerts()[0]?.body as { text: string }).text).toMatch(/Errors \(1\):\n• configuration not loaded: .*lab\.json/);
    } finally {
      await webhook.close();
    }
  });

  it("delivers a new analysis on the poll, long before the next tick, after idle polls of one ICA call each", async () => {
    const context = capturedContext({ cwd: dir.path });
    // The next tick is next New Year: only the poll can deliver within the test.
    const watching = runCli(["watch", "--schedule", "0 0 1 1 *", "--poll_seconds", "0.2", ...args], context);
    await until(() => cyclesPrinted(context) >= 1);
    const table = join(dir.path, "state", "analyses_managed_table.txt");
    const origin = (await readManagedTable(table)).rows[0]?.analysisId ?? "";

    sim.resetStats();
    const search = "POST /ica/rest/api/projects/{projectId}/analysis:search";
    await until(() => (sim.stats().byRoute[search] ?? 0) >= 3);
    const idle = sim.stats();
    // Nothing new: every call was a poll's one search (no resolve, no listing, no cycle).
    expect(idle.total).toBe(idle.byRoute[search]);

    const { id } = sim.finishAnalysis({ analysisId: origin, endInMs: 0 });
    await until(() => /^Delivery cycle \S+: ok/m.test(context.out()));
    expect((await readManagedTable(table)).rows.map((row) => row.analysisId)).toContain(id);
    expect(context.err()).toMatch(/poll: 1 analysis\(es\) to deliver \(/);
    expect(cyclesPrinted(context)).toBe(1);
    context.shutdown("SIGTERM");
    expect(await watching).toBe(0);
  });

  it("exits 2 on a schedule that is not a cron expression", async () => {
    const context = capturedContext({ cwd: dir.path });
    expect(await runCli(["watch", "--schedule", "every ten minutes", ...args], context)).toBe(2);
    expect(context.err()).toMatch(/--schedule "every ten minutes" is not a cron expression .*: e\.g\. --schedule "\*\/10 \* \* \* \*"/);
  });

  it("exits 2 when the first cycle finds the configuration wrong, instead of watching in vain", async () => {
    const context = capturedContext({ cwd: dir.path });
    const code = await runCli(["watch", ...withFlag(args, "--source_project_name", "no-such-source")], context);
    expect(code).toBe(2);
    expect(context.err()).toMatch(/No ICA project is named exactly "no-such-source"/);
    expect(context.listeners()).toBe(0);
  });
});

describe("watch as a process", () => {
  it("exits 0 on a real SIGTERM between cycles", async () => {
    const watch = await spawnCli(["watch", ...args]);
    await watch.waitFor(/next cycle at/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
    expect(watch.output.stdout).toMatch(/^Cycle \S+: ok/m);
    expect(watch.output.stderr).toMatch(/SIGTERM received/);
    expect(watch.output.stderr).toMatch(/watch stopped/);
  });

  it("stops at once on a second signal (exit 1), releasing the lock", async () => {
    sim.setFaults({ rules: [{ route: "*", rate: 1, kinds: ["slow"], slowMs: 300 }] });
    const watch = await spawnCli(["watch", ...args]);
    await watch.waitFor(/cycle \S+ started/);
    watch.child.kill("SIGTERM");
    await watch.waitFor(/SIGTERM received/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(1);
    expect(watch.output.stderr).toMatch(/second SIGTERM: stopping now, without finishing the current step/);
    const lock = await acquireStateLock(join(dir.path, "state"));
    await lock.release();
  });
});

describe("SIGHUP", () => {
  it("is ignored by watch with a log line: it keeps watching until SIGTERM", async () => {
    const watch = await spawnCli(["watch", ...args]);
    await watch.waitFor(/next cycle at/);
    watch.child.kill("SIGHUP");
    await watch.waitFor(/SIGHUP received and ignored/);
    expect(watch.output.closed).toBe(false);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
    expect(watch.output.stderr).toMatch(/watch stopped/);
  });

  it("is ignored by run mid-cycle with a log line: the cycle finishes (exit 0)", async () => {
    sim.setFaults({ rules: [{ route: "*", rate: 1, kinds: ["slow"], slowMs: 300 }] });
    const run = await spawnCli(["run", ...args]);
    await run.waitFor(/cycle \S+ started/);
    run.child.kill("SIGHUP");
    // Once the signal is handled, the rest of the cycle may go at full speed.
    await run.waitFor(/SIGHUP received and ignored: the cycle goes on/);
    sim.setFaults({ rules: [] });
    expect(await run.exited).toBe(0);
    expect(run.output.stdout).toMatch(/^Cycle \S+: ok/m);
  });
});
