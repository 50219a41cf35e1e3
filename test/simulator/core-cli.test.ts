import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { access, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { bundleCli } from "../reliability/cli-process.js";

/** Runs the bundled CLI; `onLine` sees stdout lines as they come and may signal the process. */
async function runCli(args: string[], onLine?: (line: string, signal: (s: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, [await bundleCli(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    onLine?.(line, (s) => child.kill(s));
  });
  return new Promise<{ code: number | null; lines: string[]; stderr: string }>((resolve) => {
    child.on("close", (code) => resolve({ code, lines, stderr }));
  });
}

interface Announced {
  icaUrl: string;
  basespaceUrl: string;
  s3Url: string;
  apiKeyFile: string;
  basespaceConfigFile: string;
}

describe("ica-orchestrator simulator", () => {
  it("prints exactly one JSON line, serves ICA with the key from its file, and exits 0 on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-cli-"));
    try {
      const checks: Promise<unknown>[] = [];
      const result = await runCli(["simulator", "--fixture", "demo", "--credentials-dir", dir], (line, signal) => {
        checks.push(
          (async () => {
            const announced = JSON.parse(line) as Announced;
            expect(Object.keys(announced)).toEqual(["icaUrl", "basespaceUrl", "s3Url", "sqsUrl", "apiKeyFile", "basespaceConfigFile"]);
            expect(announced.icaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(announced.basespaceUrl).toBe(announced.icaUrl);
            expect(announced.s3Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(announced.apiKeyFile).toBe(join(dir, "ica_api_key.txt"));
            expect(announced.basespaceConfigFile).toBe(join(dir, "default.cfg"));
            for (const file of [announced.apiKeyFile, announced.basespaceConfigFile]) {
              expect((await stat(file)).mode & 0o777).toBe(0o600);
            }
            expect(await readFile(announced.basespaceConfigFile, "utf8")).toMatch(
              new RegExp(`^apiServer   = ${announced.basespaceUrl}\naccessToken = \\S+\n$`),
            );
            const apiKey = (await readFile(announced.apiKeyFile, "utf8")).trim();
            const res = await fetch(`${announced.icaUrl}/ica/rest/api/projects`, { headers: { "X-API-Key": apiKey, Accept: "application/vnd.illumina.v3+json" } });
            expect(res.status).toBe(200);
            expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
            expect((await fetch(`${announced.icaUrl}/ica/rest/api/projects`, { headers: { "X-API-Key": "wrong" } })).status).toBe(401);
          })().finally(() => signal("SIGTERM")),
        );
      });
      await Promise.all(checks);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.lines).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes the credentials to a temp dir by default and removes it on SIGINT", async () => {
    let announced: Announced | undefined;
    let existed = false;
    const result = await runCli(["simulator", "--fixture", "demo"], (line, signal) => {
      announced = JSON.parse(line) as Announced;
      access(announced.apiKeyFile)
        .then(() => (existed = true))
        .finally(() => signal("SIGINT"));
    });
    expect(result.code).toBe(0);
    expect(existed).toBe(true);
    await expect(access(dirname(announced?.apiKeyFile ?? "/nonexistent"))).rejects.toThrow();
  });

  it("exits 2 with one line on stderr for an unknown fixture", async () => {
    const result = await runCli(["simulator", "--fixture", "no-such-preset"]);
    expect(result.code).toBe(2);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toMatch(/^ica-orchestrator: unknown fixture "no-such-preset": use one of demo, .*\n$/);
  });

  it("exits 2 naming the port when it is in use", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const result = await runCli(["simulator", "--fixture", "demo", "--port", String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `ica-orchestrator: cannot listen on port ${port} (EADDRINUSE): pick another with --port / --s3-port / --sqs-port, or 0 for any free port\n`,
      );
    } finally {
      busy.close();
    }
  });

  it("starts with --assume alternatives, shown by GET /__sim/assumptions", async () => {
    let value: string | undefined;
    const result = await runCli(["simulator", "--fixture", "demo", "--assume", "bs.trash-endpoint=absent"], (line, signal) => {
      const { icaUrl } = JSON.parse(line) as Announced;
      fetch(`${icaUrl}/__sim/assumptions`)
        .then((res) => res.json() as Promise<{ assumptions: Array<{ id: string; value: string }> }>)
        .then((body) => (value = body.assumptions.find((a) => a.id === "bs.trash-endpoint")?.value))
        .finally(() => signal("SIGTERM"));
    });
    expect(result.code).toBe(0);
    expect(value).toBe("absent");
  });

  it("lists every ICA file at no more than --file-bytes-cap bytes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-cli-"));
    try {
      const sizes: number[] = [];
      const checks: Promise<unknown>[] = [];
      const result = await runCli(["simulator", "--fixture", "demo", "--credentials-dir", dir, "--file-bytes-cap", "1000"], (line, signal) => {
        checks.push(
          (async () => {
            const { icaUrl, apiKeyFile } = JSON.parse(line) as Announced;
            const headers = { "X-API-Key": (await readFile(apiKeyFile, "utf8")).trim(), Accept: "application/vnd.illumina.v3+json" };
            const projects = (await (await fetch(`${icaUrl}/ica/rest/api/projects`, { headers })).json()) as { items: { id: string }[] };
            for (const { id } of projects.items) {
              const page = await fetch(`${icaUrl}/ica/rest/api/projects/${id}/data?filePath=%2F&type=FILE&pageSize=1000`, { headers });
              const body = (await page.json()) as { items: { data: { details: { fileSizeInBytes: number } } }[] };
              sizes.push(...body.items.map((item) => item.data.details.fileSizeInBytes));
            }
          })().finally(() => signal("SIGTERM")),
        );
      });
      await Promise.all(checks);
      expect(result.code).toBe(0);
      expect(sizes.length).toBeGreaterThan(10);
      expect(Math.max(...sizes)).toBe(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with one line for an --assume that names no alternative", async () => {
    const result = await runCli(["simulator", "--fixture", "demo", "--assume", "bs.trash-endpoint=maybe"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'ica-orchestrator: assumption "bs.trash-endpoint" has no alternative "maybe"; use one of v2-delete, absent, runs-only\n',
    );
  });

  it("exits 2 for a malformed option", async () => {
    const result = await runCli(["simulator", "--fixture", "demo", "--port", "http"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--port");
  });

  it("shows an example in --help and exits 0", async () => {
    const result = await runCli(["simulator", "--help"]);
    expect(result.code).toBe(0);
    expect(result.lines.join("\n")).toContain("$ ica-orchestrator simulator --fixture demo");
  });
});
