import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Simulator } from "../../src/simulator/server.js";
import { statePaths } from "../../src/state/index.js";
import { runCliIn, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

/** Issue 17 item 3: a scheduler that keeps stderr in a file of its own (cron.log) need not get a second orchestrator.log. */
let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];

beforeEach(async () => {
  dir = await tempDir("ica-orch-log-console-");
  sim = await startCliSimulator(dir.path);
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const logFile = () => readFile(statePaths(join(dir.path, "state")).log, "utf8");
const levels = (text: string) => new Set([...text.matchAll(/^\S+ (error|warn|info|debug) /gm)].map((m) => m[1]));

describe("--log_console", () => {
  it("warnings copies only warnings and errors to stderr; all (the default) every line; none nothing — the log file gets every line", async () => {
    // The first cycle has warnings to log; later ones repeat them, logged once a day.
    const warnings = await runCliIn(dir.path, ["run", ...args, "--log_console", "warnings"]);
    expect(warnings.code).toBe(0);
    expect(levels(warnings.err)).toEqual(new Set(["warn"]));

    const all = await runCliIn(dir.path, ["run", ...args]);
    expect(levels(all.err)).toContain("info");

    const none = await runCliIn(dir.path, ["run", ...args, "--log_console", "none"]);
    expect(none.err).toBe("");
    expect(none.out).toMatch(/^Cycle \S+: /); // the cycle's table still goes to stdout

    const log = await logFile();
    expect(log.match(/ info cycle \S+ started/g)).toHaveLength(3);
    expect(log).toMatch(/ warn \[manageNew\] no MGI FASTQ/);
  });

  it("a dry run, which writes no log file, logs to stderr whatever the setting", async () => {
    const plan = await runCliIn(dir.path, ["plan", ...args, "--log_console", "none"]);
    expect(plan.code).toBe(0);
    expect(plan.err).toMatch(/ info cycle \S+ started \(dry run\)/);
  });

  it("refuses a value it does not know, naming the ones it does (exit 2)", async () => {
    const wrong = await runCliIn(dir.path, ["run", ...args, "--log_console", "quiet"]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/log_console.*one of all, warnings, none/);
  });
});
