import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { access, chmod, cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { environmentVariables } from "../../src/config/index.js";
import { parseWithCli } from "./command-lines.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const dockerfile = await readFile(join(root, "Dockerfile"), "utf8");
const dockerignore = (await readFile(join(root, ".dockerignore"), "utf8"))
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

/** Instructions with continuation lines joined. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const stages = instructions.filter((line) => line.startsWith("FROM "));
const runtime = instructions.slice(instructions.indexOf(stages.at(-1) ?? ""));
const lastOf = (keyword: string, lines = runtime): string | undefined => lines.filter((line) => line.startsWith(`${keyword} `)).at(-1);

describe("Dockerfile", () => {
  it("copies only sources that exist in the build context and are not ignored", async () => {
    const copies = instructions.filter((line) => line.startsWith("COPY ") && !line.includes("--from="));
    expect(copies.length).toBeGreaterThanOrEqual(4);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1).filter((word) => !word.startsWith("--"));
      for (const source of sources) {
        await expect(access(join(root, source)), `${copy}: ${source}`).resolves.toBeUndefined();
        expect(dockerignore, `${source} is excluded by .dockerignore`).not.toContain(source);
      }
    }
  });

  it("is multi-stage: a build stage, then a slim runtime with production dependencies only, both on one pinned Node LTS within engines", async () => {
    const [image] = new Set(stages.map((line) => line.split(/\s+/)[1]));
    expect(stages).toEqual([`FROM ${image} AS build`, `FROM ${image} AS runtime`]);
    // major.minor pinned (a rebuild keeps its Node), an even major (an LTS line), not below package.json's engines.
    const [, major, minor] = /^node:(\d+)\.(\d+)-bookworm-slim$/.exec(image ?? "") ?? [];
    expect(Number(major) % 2, `${image} is not an LTS line`).toBe(0);
    const { engines } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { engines: { node: string } };
    const [, lowMajor, lowMinor] = /^>=(\d+)\.(\d+)$/.exec(engines.node) ?? [];
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(Number(lowMajor) * 1000 + Number(lowMinor));
    expect(runtime.some((line) => /npm ci --omit=dev/.test(line))).toBe(true);
    expect(runtime.filter((line) => line.startsWith("COPY --from=build"))).toEqual(["COPY --from=build /app/dist/src ./dist/src"]);
  });

  it("runs `watch` as a non-root user under tini, with the entrypoint the CLI accepts", async () => {
    expect(lastOf("USER")).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(runtime.some((line) => /^RUN apt-get update .*apt-get install -y --no-install-recommends tini\b/.test(line))).toBe(true);
    expect(lastOf("ENTRYPOINT")).toBe('ENTRYPOINT ["/usr/bin/tini", "--", "ica-orchestrator"]');
    const cmd = JSON.parse(lastOf("CMD")?.slice(4) ?? "[]") as string[];
    expect(cmd).toEqual(["watch"]);
    expect(await parseWithCli(cmd)).toBe("watch");
    expect(lastOf("VOLUME")).toBe('VOLUME ["/var/lib/ica-orchestrator"]');
  });

  it("reads the key and the bs config from /run/secrets and keeps state in the volume, through variables the code reads", () => {
    const env = Object.fromEntries(
      [...(lastOf("ENV") ?? "").matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
    );
    expect(env).toEqual({
      NODE_ENV: "production",
      [environmentVariables.apiKeyFile]: "/run/secrets/ica_api_key",
      [environmentVariables.basespaceConfig]: "/run/secrets/basespace.cfg",
      [environmentVariables.stateDir]: "/var/lib/ica-orchestrator",
      // Published ports reach `watch --metrics_port` only on every interface; outside the image the default is loopback.
      [environmentVariables.metricsHost]: "0.0.0.0",
    });
  });

  it("checks its health with `health`, on the state volume, after a start period for a long first cycle", async () => {
    const healthcheck = /^HEALTHCHECK ((?:--\S+ )*)CMD (\[.*\])$/.exec(lastOf("HEALTHCHECK") ?? "");
    const options = Object.fromEntries((healthcheck?.[1] ?? "").trim().split(" ").map((option) => option.slice(2).split("=")));
    expect(options).toMatchObject({ "start-period": "1h", retries: "1" });
    const [bin, ...args] = JSON.parse(healthcheck?.[2] ?? "[]") as string[];
    expect(bin).toBe("ica-orchestrator");
    expect(await parseWithCli(args)).toBe("health");
  });

  it("gives SIGTERM the same 15 minutes as the systemd unit and the CronJob, and the README says so", async () => {
    expect(lastOf("STOPSIGNAL")).toBe("STOPSIGNAL SIGTERM");
    const service = await readFile(join(root, "wrappers/systemd/ica-orchestrator.service"), "utf8");
    expect(service).toMatch(/^TimeoutStopSec=15min$/m);
    expect(await readFile(join(root, "wrappers/kubernetes/cronjob.yaml"), "utf8")).toMatch(/^ {10}terminationGracePeriodSeconds: 900$/m);
    expect(dockerfile).toContain("docker run --stop-timeout 900");
    const readme = await readFile(join(root, "README.md"), "utf8");
    expect(readme).toMatch(/docker run .*--stop-timeout 900 .*ica-orchestrator watch/);
  });
});

const entry = join(root, "dist/src/cli/main.js");
const built = await access(entry).then(
  () => true,
  () => false,
);
const entryTitle = `the built entry point from a clean production install${built ? "" : " (skipped: dist/ is not built — npm run build; .ci/run builds first)"}`;

describe.skipIf(!built)(entryTitle, () => {
  it(
    "runs --help and --version from npm ci --omit=dev, through a symlink like the image's",
    async () => {
      const app = await mkdtemp(join(tmpdir(), "ica-orch-image-"));
      try {
        await cp(join(root, "package.json"), join(app, "package.json"));
        await cp(join(root, "package-lock.json"), join(app, "package-lock.json"));
        await cp(join(root, "dist/src"), join(app, "dist/src"), { recursive: true });
        // The npm cache is warm after the repository's own install, so this is quick; the registry is the fallback.
        await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: app });
        await expect(access(join(app, "node_modules/typescript"))).rejects.toThrow();
        const main = join(app, "dist/src/cli/main.js");
        await chmod(main, 0o755);
        const bin = join(app, "ica-orchestrator");
        await symlink(main, bin);
        const help = await run(bin, ["--help"], { cwd: app });
        for (const command of ["run", "plan", "watch", "status", "doctor", "demo", "simulator"]) expect(help.stdout).toContain(`  ${command}`);
        const version = await run(bin, ["--version"], { cwd: app });
        const { version: expected } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
        expect(version.stdout.trim()).toBe(expected);
        const watchHelp = await run(bin, ["watch", "--help"], { cwd: app });
        expect(watchHelp.stdout).toContain("Examples:");
      } finally {
        await rm(app, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
