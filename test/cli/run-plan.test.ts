import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { access, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";
import { acquireStateLock, ensureStateDir } from "../../src/state/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { capturedContext, tempDir } from "./helpers.js";
import { cliApiKey, cliToken, simulatorArgs, startCliSimulator, withFlag } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-cli-");
  sim = await startCliSimulator(dir.path);
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const stateDir = (): string => join(dir.path, "state");
const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

async function cli(argv: string[], env: Record<string, string> = {}) {
  const context = capturedContext({ cwd: dir.path, env });
  const code = await runCli(argv, context);
  return { code, out: context.out(), err: context.err(), context };
}

describe("plan and run --dry_run", () => {
  it("print the plan table, exit 0 and change nothing: not the services, not the state directory", async () => {
    const before = sim.state().digest;
    const plan = await cli(["plan", ...args]);
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/^Plan at \d{4}-\d\d-\d\dT/m);
    expect(plan.out).toMatch(/link/);
    const dryRun = await cli(["run", "--dry_run", ...args]);
    expect(dryRun.code).toBe(0);
    expect(dryRun.out.replace(/Plan at \S+/, "")).toBe(plan.out.replace(/Plan at \S+/, ""));
    // The default command is run, so the original tool's command line (no command name) works too.
    const bare = await cli(["--dry-run", ...args]);
    expect(bare.code).toBe(0);
    expect(bare.out).toMatch(/^Plan at /m);
    expect(sim.state().digest).toBe(before);
    expect(await exists(stateDir())).toBe(false);
  });

  it("treats dry_run in the config file the same: the plan, and nothing written, not even the log", async () => {
    await writeFile(join(dir.path, "lab.json"), JSON.stringify({ dry_run: true, days_to_delete: 120 }));
    const result = await cli(["run", "--config", "lab.json", ...args]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Plan at /m);
    expect(await exists(stateDir())).toBe(false);
  });

  it("refuses --dry_run on plan, which is always one (exit 2)", async () => {
    const result = await cli(["plan", "--dry_run", ...args]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("unknown option '--dry_run'");
  });
});

describe("run", () => {
  it("runs one cycle, prints its report and writes the state directory (exit 0)", async () => {
    const result = await cli(["run", ...args]);
    expect(result.err).not.toMatch(/ error /);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Cycle \S+: ok in [\d.]+ s$/m);
    const names = await readdir(stateDir());
    expect(names).toEqual(expect.arrayContaining(["analyses_managed_table.txt", "journal.json", "audit.jsonl", "reports", "manifests", "orchestrator.log"]));
    const [report] = await readdir(join(stateDir(), "reports"));
    expect(result.out).toContain(`Report: ${join(stateDir(), "reports", report ?? "")}`);
    expect((await readFile(join(stateDir(), "analyses_managed_table.txt"), "utf8")).split("\n")[0]).toBe("analysis_id_managed,run_id");
    expect((await readdir(join(stateDir(), "manifests"))).length).toBeGreaterThan(0);
  });

  it("keeps every secret out of the console, the log file, the audit log and the report", async () => {
    const result = await cli(["run", "--log_level", "debug", ...args]);
    expect(result.code).toBe(0);
    const files = ["orchestrator.log", "audit.jsonl", "journal.json"].map((name) => join(stateDir(), name));
    const reports = (await readdir(join(stateDir(), "reports"))).map((name) => join(stateDir(), "reports", name));
    const written = await Promise.all([...files, ...reports].map((file) => readFile(file, "utf8")));
    for (const text of [result.out, result.err, ...written]) {
      expect(text).not.toContain(cliApiKey);
      expect(text).not.toContain(cliToken);
      expect(text).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    }
    expect(written[0]).toMatch(/ info cycle \S+ started/);
  });

  it("logs JSON lines with --log_format json, on the console and in the file", async () => {
    const result = await cli(["run", "--log_format", "json", ...args]);
    expect(result.code).toBe(0);
    const lines = result.err.trim().split("\n");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), message: expect.anything() });
    const file = (await readFile(join(stateDir(), "orchestrator.log"), "utf8")).trim().split("\n");
    expect(file.map((line) => (JSON.parse(line) as { message: unknown }).message)).toEqual(lines.map((line) => (JSON.parse(line) as { message: unknown }).message));
    expect(result.err).not.toContain("\x1b["); // no colour when the console is not a terminal
  });

  it("keeps --keep_reports_days of cycle reports: older ones go when a cycle writes its own", async () => {
    const paths = await ensureStateDir(stateDir());
    const old = "2020-01-01T00-00-00.000Z-0a0b";
    await writeFile(join(paths.reports, `${old}.json`), "{}\n");
    const result = await cli(["run", ...args, "--keep_reports_days", "1"]);
    expect(result.code).toBe(0);
    const reports = await readdir(paths.reports);
    expect(reports).toHaveLength(1);
    expect(reports).not.toContain(`${old}.json`);
    expect(result.err).toMatch(/removed 1 cycle report\(s\) older than 1 days/);
  });

  it("exits 0 with one line when another cycle holds the lock", async () => {
    await ensureStateDir(stateDir());
    const lock = await acquireStateLock(stateDir());
    try {
      const before = sim.state().digest;
      const result = await cli(["run", ...args]);
      expect(result.code).toBe(0);
      expect(result.out).toBe("");
      expect(result.err.trim().split("\n").filter((line) => /holds .*lock/.test(line))).toHaveLength(1);
      expect(sim.state().digest).toBe(before);
    } finally {
      await lock.release();
    }
  });

  it("exits 1 when the cycle finishes with failures", async () => {
    sim.setFaults({ linkItemFailures: { dataIds: [], rate: 1 } });
    const result = await cli(["run", ...args]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^Cycle \S+: failures/m);
    expect(result.out).toMatch(/Errors:/);
  });

  it.each([
    ["a missing key file", "--api_key_file", "absent.key", /API key file .*absent\.key does not exist: create it or correct the path/],
    ["an unknown project", "--destination_project_name", "no-such-project", /No ICA project is named exactly "no-such-project"/],
    ["a bad value", "--days_to_delete", "soon", /days_to_delete \(from --days_to_delete\): expected a whole number of days/],
  ])("exits 2 on %s, with one line saying how to fix it", async (_, flag, value, expected) => {
    const result = await cli(["run", ...withFlag(args, flag, value)]);
    expect(result.code).toBe(2);
    const errorLines = result.err.trim().split("\n").filter((line) => expected.test(line));
    expect(errorLines).toHaveLength(1);
    expect(result.err).not.toContain(cliApiKey);
  });

  it("exits 2 on a usage error, with commander's message", async () => {
    const result = await cli(["run", "--no-such-flag"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("unknown option '--no-such-flag'");
  });

  it("finishes the current step on a shutdown request, releases the lock and exits 0", async () => {
    sim.setFaults({ rules: [{ route: "*", rate: 1, kinds: ["slow"], slowMs: 50 }] });
    const context = capturedContext({ cwd: dir.path });
    const running = runCli(["run", ...args], context);
    const started = Date.now();
    while (context.listeners() === 0 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 200));
    context.shutdown("SIGTERM");
    expect(await running).toBe(0);
    expect(context.listeners()).toBe(0);
    const lock = await acquireStateLock(stateDir());
    await lock.release();
    expect(context.err()).toMatch(/SIGTERM/);
  });
});

describe("--help", () => {
  it.each(["run", "plan", "watch", "status", "doctor", "demo", "simulator"])("%s shows examples", async (command) => {
    const result = await cli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\nExamples?:\n {2}(# .*\n {2})?\$ ica-orchestrator /);
  });

  it("lists every command and shows examples at the top level", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["run", "plan", "watch", "status", "doctor", "demo", "simulator"]) expect(result.out).toMatch(new RegExp(`\\n {2}${command}\\b`));
    expect(result.out).toContain("Examples:");
  });
});
