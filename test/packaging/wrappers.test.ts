import { describe, expect, it } from "vitest";
import { execFile, spawnSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { parseWithCli, shellWords } from "./command-lines.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const wrappers = join(root, "wrappers");
const scripts = (await readdir(wrappers)).filter((name) => name.endsWith(".sh")).map((name) => join(wrappers, name));

const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

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

interface Container {
  args: string[];
  securityContext?: unknown;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext?: unknown;
  containers: Container[];
  volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
}
interface CronJob {
  kind: "CronJob";
  spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { activeDeadlineSeconds: number; template: { spec: PodSpec } } } };
}
interface Claim {
  kind: "PersistentVolumeClaim";
  metadata: { name: string };
  spec: { accessModes: string[] };
}

/** The objects of wrappers/kubernetes/cronjob.yaml, by kind. */
async function kubernetesObjects(): Promise<{ cronJob: CronJob; claim: Claim }> {
  const documents = parseAllDocuments(await readFile(join(wrappers, "kubernetes", "cronjob.yaml"), "utf8"));
  const objects = (Array.isArray(documents) ? documents : [documents]).map((doc) => doc.toJS() as CronJob | Claim);
  const cronJob = objects.find((o): o is CronJob => o.kind === "CronJob");
  const claim = objects.find((o): o is Claim => o.kind === "PersistentVolumeClaim");
  if (!cronJob || !claim) throw new Error("cronjob.yaml must hold a CronJob and a PersistentVolumeClaim");
  return { cronJob, claim };
}

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
      // Only warnings reach cron.log: orchestrator.log has the rest. Later flags win, so an operator can override it.
      expect(await fake.argv()).toEqual(["run", "--log_console", "warnings", ...args]);
      expect(await readFile(log, "utf8")).toBe("cycle output\n");
      await parseWithCli(await fake.argv());
    });
  });

  it("cron-wrapper keeps cron.log bounded: past the size it becomes cron.log.1, replacing the older one", async () => {
    await inTemp(async (dir) => {
      const fake = await recordingBin(dir);
      const log = join(dir, "cron.log");
      const env = { PATH: process.env.PATH, HOME: dir, ICA_ORCHESTRATOR_BIN: fake.bin, ICA_ORCHESTRATOR_CRON_LOG: log, ICA_ORCHESTRATOR_CRON_LOG_BYTES: "20" };
      await writeFile(`${log}.1`, "oldest\n");
      await writeFile(log, "an older cycle's output, over 20 bytes\n");
      await run(join(wrappers, "cron-wrapper.sh"), [], { env });
      expect(await readFile(`${log}.1`, "utf8")).toBe("an older cycle's output, over 20 bytes\n");
      expect(await readFile(log, "utf8")).toBe("cycle output\n");
      await run(join(wrappers, "cron-wrapper.sh"), [], { env });
      expect(await readFile(log, "utf8")).toBe("cycle output\ncycle output\n");
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
      expect(await readFile(join(dir, ".ica-orchestrator", "cron.log"), "utf8")).toMatch(
        /ica-orchestrator not found \(\S+absent\); install it from its tarball \(npm install -g \.\/ica-orchestrator-<version>\.tgz\)/,
      );
    });
  });

  it("cron-wrapper finds the tool in npm's global prefix when cron's PATH does not have it", async () => {
    await inTemp(async (dir) => {
      // npm's global prefix anywhere (nvm, ~/.npm-global, /opt/node): only `npm prefix -g` knows it.
      const prefix = join(dir, "some-node-prefix");
      await mkdir(join(prefix, "bin"), { recursive: true });
      const fake = await recordingBin(dir);
      await cp(fake.bin, join(prefix, "bin", "ica-orchestrator"));
      const tools = join(dir, "tools");
      await mkdir(tools);
      await writeFile(join(tools, "npm"), `#!/bin/sh\n[ "$1 $2" = "prefix --global" ] && echo '${prefix}'\n`);
      await chmod(join(tools, "npm"), 0o755);
      const env = { PATH: `${tools}:/usr/bin:/bin`, HOME: dir };
      await run(join(wrappers, "cron-wrapper.sh"), ["--dry_run"], { env });
      expect(await fake.argv()).toEqual(["run", "--log_console", "warnings", "--dry_run"]);

      const noNpm = await run(join(wrappers, "cron-wrapper.sh"), [], { env: { ...env, PATH: "/usr/bin:/bin" } }).catch((error: unknown) => error);
      expect(exitOf(noNpm)).toBe(2);
      expect(await readFile(join(dir, ".ica-orchestrator", "cron.log"), "utf8")).toMatch(/not on PATH nor in \$\(npm prefix -g\)\/bin/);
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

  it("ica-bench asks for the tarball when the tool is not installed: the package is not on the npm registry", async () => {
    await inTemp(async (dir) => {
      const env = { PATH: "/usr/bin:/bin", HOME: dir, BENCH_DATA_DIR: join(dir, "data"), ICA_API_KEY: "bench-key" };
      const failure = await run(join(wrappers, "ica-bench.sh"), ["plan"], { env }).catch((error: unknown) => error);
      expect(exitOf(failure)).toBe(2);
      expect((failure as { stderr: string }).stderr).toMatch(/not installed under \S+: make a tarball with 'npm pack' .* ICA_ORCHESTRATOR_PACKAGE=\S+\/data\/ica-orchestrator-<version>\.tgz/);
    });
  });

  const verifyTitle = `the systemd units pass systemd-analyze verify${hasSystemdAnalyze ? "" : " (skipped: systemd-analyze is not installed here)"}`;
  it.skipIf(!hasSystemdAnalyze)(verifyTitle, async () => {
    await inTemp(async (dir) => {
      // In a directory of their own: verify reads the timer's service next to it.
      await cp(join(wrappers, "systemd"), dir, { recursive: true });
      await run("systemd-analyze", ["verify", join(dir, "ica-orchestrator.service"), join(dir, "ica-orchestrator.timer")]);
    });
  });

  it("crontab, systemd and Kubernetes examples only use command lines the CLI accepts", async () => {
    const crontab = (await readFile(join(wrappers, "crontab.example"), "utf8")).split("\n").find((line) => line.startsWith("*/10"));
    const cronWords = shellWords(crontab ?? "");
    await parseWithCli(["run", ...cronWords.slice(cronWords.findIndex((w) => w.endsWith("cron-wrapper.sh")) + 1)]);

    const service = await readFile(join(wrappers, "systemd", "ica-orchestrator.service"), "utf8");
    const execStart = /^ExecStart=((?:.*\\\n)*.*)/m.exec(service)?.[1] ?? "";
    const words = shellWords(execStart);
    // Found on the unit's PATH, which holds npm's usual global bin directories, not at one fixed path.
    expect(words.slice(0, 2)).toEqual(["/usr/bin/env", "ica-orchestrator"]);
    expect(/^Environment=PATH=(\S+)$/m.exec(service)?.[1]?.split(":")).toEqual(expect.arrayContaining(["/usr/local/bin", "/usr/bin"]));
    expect(await parseWithCli(words.slice(2))).toBe("run");
    expect(await readFile(join(wrappers, "systemd", "ica-orchestrator.timer"), "utf8")).toMatch(/^OnCalendar=\*:0\/10$/m);

    const { cronJob } = await kubernetesObjects();
    const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
    expect(await parseWithCli(container?.args ?? [])).toBe("run");
  });

  it("the Kubernetes CronJob never overlaps, cannot hang the schedule, meets the restricted Pod Security Standard and keeps its state on a PVC", async () => {
    const { cronJob, claim } = await kubernetesObjects();
    expect(cronJob.spec).toMatchObject({ schedule: "*/10 * * * *", concurrencyPolicy: "Forbid", startingDeadlineSeconds: 300 });
    const job = cronJob.spec.jobTemplate.spec;
    // A hung job with Forbid blocks every later run: the deadline ends it, with the grace period after.
    expect(job.activeDeadlineSeconds).toBeGreaterThan(job.template.spec.terminationGracePeriodSeconds);
    const pod = job.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    expect(container?.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    // The paths the image's defaults read and write; the state on the claim declared beside the CronJob.
    expect(container?.volumeMounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining(["/run/secrets", "/var/lib/ica-orchestrator"]));
    const stateMount = container?.volumeMounts.find((m) => m.mountPath === "/var/lib/ica-orchestrator");
    const stateVolume = pod.volumes.find((v) => v.name === stateMount?.name);
    expect(stateVolume?.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
  });
});
