import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Simulator } from "../../src/simulator/server.js";
import { acquireStateLock } from "../../src/state/index.js";
import { startTricklingSmtpServer, type TricklingReceiver } from "../notify/receivers.js";
import { spawnCli, tempDir, until } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let smtp: TricklingReceiver;
beforeEach(async () => {
  dir = await tempDir("ica-orch-notify-hang-");
  sim = await startCliSimulator(dir.path);
  smtp = await startTricklingSmtpServer();
});
afterEach(async () => {
  await smtp.close();
  await sim.stop();
  await dir.cleanup();
});

describe("a mail server that trickles bytes", () => {
  it("cannot hold run: SIGTERM during the send ends it within 10 s and releases the lock", async () => {
    // A clock 10 minutes off is an error of the cycle, so there is an alert to mail.
    sim.advanceClock(10 * 60_000);
    const mailTo = ["--notify_smtp_url", smtp.url, "--notify_email_from", "orchestrator@example.org", "--notify_email_to", "lab@example.org"];
    const run = await spawnCli(["run", ...simulatorArgs(sim, dir.path), ...mailTo]);
    await until(() => smtp.trickling() || run.output.closed);
    expect(run.output.closed, run.output.stderr).toBe(false);

    const signalledAt = Date.now();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(run.output.stderr).toMatch(/email notification failed: the mail server refused or failed \(stopped on request\)/);
    const lock = await acquireStateLock(join(dir.path, "state"));
    await lock.release();
  });
});
