import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";
import { acquireStateLock, readManagedTable } from "../../src/state/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startWebhookReceiver } from "../notify/receivers.js";
import { capturedContext, runCliIn, spawnCli, tempDir, until, type CapturedContext } from "./helpers.js";
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

  describe("with --events", () => {
    afterEach(() => vi.unstubAllEnvs());

    /** Subscribes the source project to `events`, then watches it with no tick and no poll within the test: only an event can deliver. */
    async function watchEvents(events: string, extra: string[] = []) {
      const subscribed = await runCliIn(dir.path, ["subscribe", ...args, ...extra, "--events", events]);
      expect(subscribed.code).toBe(0);
      const context = capturedContext({ cwd: dir.path });
      const watching = runCli(["watch", "--schedule", "0 0 1 1 *", "--poll_seconds", "3600", ...args, ...extra, "--events", events], context);
      await until(() => cyclesPrinted(context) >= 1);
      // The source has started once it has saved its event-log position (the HTTP receiver listens by then).
      await until(() => existsSync(join(dir.path, "state", "event-log-position.json")));
      const table = join(dir.path, "state", "analyses_managed_table.txt");
      const delivered = async () => (await readManagedTable(table)).rows.map((row) => row.analysisId);
      const origin = (await delivered())[0] ?? "";
      const deliveryCycles = () => context.out().match(/^Delivery cycle \S+: ok/gm)?.length ?? 0;
      /** An analysis finishes now; the simulator applies due status changes (and sends their events) on its next request or clock move. */
      const finish = () => {
        const { id } = sim.finishAnalysis({ analysisId: origin, endInMs: 0 });
        sim.advanceClock(0);
        return id;
      };
      return { context, watching, delivered, deliveryCycles, finish };
    }

    it("delivers an analysis on its HTTP event, re-read from the API first, with no poll or tick in between", async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/ica-events`;
      const { context, watching, delivered, deliveryCycles, finish } = await watchEvents(url);
      const before = await delivered();

      // A forged event names an analysis ICA does not have: the delivery cycle reads the API and delivers nothing.
      const forged = { correlationId: "forged-1", eventCode: "ICA_EXEC_028", eventParameters: { pipelineExecution: "no-such-analysis", analysisStatus: "SUCCEEDED" } };
      expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(forged) })).status).toBe(204);
      await until(() => deliveryCycles() === 1);
      expect(await delivered()).toEqual(before);

      const id = finish();
      await until(() => deliveryCycles() === 2);
      expect(await delivered()).toContain(id);
      expect(context.err()).toMatch(new RegExp(`http: 1 analysis\\(es\\) to deliver \\(${id}\\)`));
      expect(context.err()).not.toMatch(/poll: /);
      expect(cyclesPrinted(context)).toBe(1);
      context.shutdown("SIGTERM");
      expect(await watching).toBe(0);
      expect(context.listeners()).toBe(0);
    });

    it("delivers an analysis on its SQS message (sqs_endpoint: the simulator's queue) and deletes the message once delivered", async () => {
      vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
      // The lab creates its queue before ICA's channel names it (docs/events.md).
      sim.queues.create("ica-events");
      const { context, watching, delivered, deliveryCycles, finish } = await watchEvents(`sqs://${sim.sqsUrl}/000000000000/ica-events`, ["--sqs_endpoint", sim.sqsUrl]);
      const id = finish();
      await until(() => deliveryCycles() === 1);
      expect(await delivered()).toContain(id);
      expect(context.err()).toMatch(new RegExp(`sqs: 1 analysis\\(es\\) to deliver \\(${id}\\)`));
      await until(() => sim.queues.depth("ica-events").visible + sim.queues.depth("ica-events").inFlight === 0);
      context.shutdown("SIGTERM");
      expect(await watching).toBe(0);
    });
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

/** A port nothing listens on now, for a receiver whose address must be known before it starts (the subscription names it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
