import { describe, expect, it } from "vitest";
import { execFile, spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { parseWithCli, shellWords } from "./command-lines.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const wrappers = join(root, "wrappers");
const scripts = (await readdir(wrappers)).filter((name) => name.endsWith(".sh")).map((name) => join(wrappers, name));

const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

/** A stand-in for ica-orchestrator that records its arguments (one per line) and the state dir it was given. */
async function recordingBin(dir: string, exitCode = 0): Promise<{ bin: string; argv(): Promise<string[]>; env(): Promise<string> }> {
  const bin = join(dir, "fake-ica-orchestrator");
  const argvFile = join(dir, "argv");
  const envFile = join(dir, "env");
  await writeFile(
    bin,
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > '${argvFile}'\nprintf '%s' "\${ICA_ORCHESTRATOR_STATE_DIR:-}" > '${envFile}'\necho "cycle output"\nexit ${exitCode}\n`,
  );
  await chmod(bin, 0o755);
  return {
    bin,
    argv: async () => (await readFile(argvFile, "utf8")).split("\n").slice(0, -1),
    env: () => readFile(envFile, "utf8"),
  };
}

async function inTemp<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "ica-orch-wrap-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const exitOf = (error: unknown): number => (error as { code?: number }).code ?? 0;

describe("wrappers", () => {
  const lintTitle = `are shellcheck clean, and so is .ci/run${hasShellcheck ? "" : " (skipped: shellcheck is not installed here; .ci/run installs it)"}`;
  it.skipIf(!hasShellcheck)(lintTitle, async () => {
    await run("shellcheck", [...scripts, join(root, ".ci/run")]);
  });

  it("cron-wrapper runs one cycle with every argument passed through unchanged, output to its log", async () => {
    await inTemp(async (dir) => {
      const fake = await recordingBin(dir);
      const log = join(dir, "logs", "cron.log");
      const args = ["--source_project_name", "BSSH Runs 2025", "--destination-project-name", "MGI_Delivery", "--dry_run", "--protect", "*_KEEP*"];
      await run(join(wrappers, "cron-wrapper.sh"), args, { env: { PATH: process.env.PATH, HOME: dir, ICA_ORCHESTRATOR_BIN: fake.bin, ICA_ORCHESTRATOR_CRON_LOG: log } });
      expect(await fake.argv()).toEqual(["run", ...args]);
      expect(await readFile(log, "utf8")).toBe("cycle output\n");
      await parseWithCli(await fake.argv());
    });
  });

  it("cron-wrapper exits with the tool's status and notes a failure in its log", async () => {
    await inTemp(async (dir) => {
      const fake = await recordingBin(dir, 1);
      const log = join(dir, "cron.log");
      const env = { PATH: process.env.PATH, HOME: dir, ICA_ORCHESTRATOR_BIN: fake.bin, ICA_ORCHESTRATOR_CRON_LOG: log };
      const failure = await run(join(wrappers, "cron-wrapper.sh"), [], { env }).catch((error: unknown) => error);
      expect(exitOf(failure)).toBe(1);
      expect(await readFile(log, "utf8")).toMatch(/^cycle output\n\S+ cron-wrapper: cycle exited with status 1; see orchestrator.log/);
    });
  });

  it("cron-wrapper exits 2 with a line in its log when the tool is not installed", async () => {
    await inTemp(async (dir) => {
      const env = { PATH: process.env.PATH, HOME: dir, ICA_ORCHESTRATOR_BIN: join(dir, "absent") };
      const failure = await run(join(wrappers, "cron-wrapper.sh"), [], { env }).catch((error: unknown) => error);
      expect(exitOf(failure)).toBe(2);
      expect(await readFile(join(dir, ".ica-orchestrator", "cron.log"), "utf8")).toMatch(/not found on PATH; install it/);
    });
  });

  it("ica-bench runs the installed tool with the arguments, its state on the persistent disk", async () => {
    await inTemp(async (dir) => {
      const prefixBin = join(dir, "data", "ica-orchestrator", "npm-global", "bin");
      await mkdir(prefixBin, { recursive: true });
      const fake = await recordingBin(dir);
      await writeFile(join(prefixBin, "ica-orchestrator"), `#!/usr/bin/env bash\nexec '${fake.bin}' "$@"\n`);
      await chmod(join(prefixBin, "ica-orchestrator"), 0o755);
      const env = { PATH: process.env.PATH, HOME: dir, BENCH_DATA_DIR: join(dir, "data"), ICA_API_KEY: "bench-key" };
      const { stdout } = await run(join(wrappers, "ica-bench.sh"), ["plan", "--config", "/data/lab.json"], { env });
      expect(stdout).toBe("cycle output\n");
      expect(await fake.argv()).toEqual(["plan", "--config", "/data/lab.json"]);
      expect(await fake.env()).toBe(join(dir, "data", "ica-orchestrator", "state"));
      const missingKey = await run(join(wrappers, "ica-bench.sh"), [], { env: { ...env, ICA_API_KEY: "" } }).catch((error: unknown) => error);
      expect(exitOf(missingKey)).toBe(2);
      expect((missingKey as { stderr: string }).stderr).toMatch(/no API key: set ICA_API_KEY/);
    });
  });

  it("crontab, systemd and Kubernetes examples only use command lines the CLI accepts", async () => {
    const crontab = (await readFile(join(wrappers, "crontab.example"), "utf8")).split("\n").find((line) => line.startsWith("*/10"));
    const cronWords = shellWords(crontab ?? "");
    await parseWithCli(["run", ...cronWords.slice(cronWords.findIndex((w) => w.endsWith("cron-wrapper.sh")) + 1)]);

    const service = await readFile(join(wrappers, "systemd", "ica-orchestrator.service"), "utf8");
    const execStart = /^ExecStart=((?:.*\\\n)*.*)/m.exec(service)?.[1] ?? "";
    const words = shellWords(execStart);
    expect(words[0]).toBe("/usr/local/bin/ica-orchestrator");
    expect(await parseWithCli(words.slice(1))).toBe("run");
    expect(await readFile(join(wrappers, "systemd", "ica-orchestrator.timer"), "utf8")).toMatch(/^OnCalendar=\*:0\/10$/m);

    const cronJob = parseYaml(await readFile(join(wrappers, "kubernetes", "cronjob.yaml"), "utf8")) as {
      spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: { containers: Array<{ args: string[]; volumeMounts: Array<{ mountPath: string }> }> } } } } };
    };
    expect(cronJob.spec).toMatchObject({ schedule: "*/10 * * * *", concurrencyPolicy: "Forbid" });
    const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
    expect(await parseWithCli(container?.args ?? [])).toBe("run");
    // The paths the image's defaults read and write.
    expect(container?.volumeMounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining(["/run/secrets", "/var/lib/ica-orchestrator"]));
  });
});
