import { readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { metricName, parseExposition } from "../../src/metrics/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../notify/receivers.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator, withFlag } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let webhook: WebhookReceiver;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-broken-");
  sim = await startCliSimulator(dir.path);
  webhook = await startWebhookReceiver();
  const metricsFile = join(dir.path, "orchestrator.prom");
  args = [...simulatorArgs(sim, dir.path), "--notify_webhook_url", webhook.url, "--metrics_file", metricsFile];
});
afterEach(async () => {
  await webhook.close();
  await sim.stop();
  await dir.cleanup();
});

async function cli(argv: string[]) {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(["run", ...argv], context);
  return { code, err: context.err() };
}

const texts = (): string[] => webhook.posts.map((p) => (p.body as { text: string }).text);

async function metric(key: Parameters<typeof metricName>[0], labels: Record<string, string> = {}): Promise<number | undefined> {
  const text = await readFile(join(dir.path, "orchestrator.prom"), "utf8");
  return parseExposition(text)
    .find((f) => f.name === metricName(key))
    ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** A server that answers every request the same way: a login page, as a proxy in front of the wrong URL does, or another API. */
async function notIca(status = 200, type = "text/html", body = "<html><body>Sign in</body></html>"): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(status, { "content-type": type }).end(body));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("a broken tool is never silent (CLI, simulator, webhook)", () => {
  it("a revoked key: exit 2, one alert however many cycles fail, metrics say failures; the recovery is announced once", async () => {
    const revoked = join(dir.path, "revoked.key");
    await writeFile(revoked, "ICA-KEY-REVOKED-0000000000000000\n");
    const broken = withFlag(args, "--api_key_file", revoked);
    for (let n = 0; n < 3; n++) expect((await cli(broken)).code).toBe(2);
    expect(webhook.posts).toHaveLength(1);
    expect(texts()[0]).toMatch(/Errors \(1\):\n• \[resolve\] resolve stopped: ICA GET \S+ failed with HTTP 401/);
    expect(await metric("cycle_outcome", { outcome: "failures" })).toBe(1);
    expect(await metric("cycle_last_failure_timestamp_seconds")).toBeGreaterThan(0);
    expect(await metric("cycle_last_success_timestamp_seconds")).toBeUndefined();

    expect((await cli(args)).code).toBe(0);
    expect(await metric("cycle_outcome", { outcome: "ok" })).toBe(1);
    expect(texts().filter((t) => t.includes("Recovered (1):\n• no longer failing: AuthError on ica GET "))).toHaveLength(1);
    const posts = webhook.posts.length;
    expect((await cli(args)).code).toBe(0);
    expect(texts().slice(posts).join("\n")).not.toContain("Recovered");
  });

  it("a renamed source project and a server answering a login page alert too", async () => {
    expect((await cli(withFlag(args, "--source_project_name", "renamed-runs"))).code).toBe(2);
    expect(texts().at(-1)).toMatch(/\[resolve\] resolve stopped: No ICA project is named exactly "renamed-runs"/);

    const page = await notIca();
    try {
      const result = await cli(withFlag(args, "--server_url", page.url));
      expect(result.code).toBe(2);
      expect(result.err).toContain(`--server_url ${page.url}/ answers, but not as the ICA API (ICA GET /api/projects failed with HTTP 200: field \`(response body)\``);
    } finally {
      await page.close();
    }
    expect(texts().at(-1)).toMatch(/\[resolve\] resolve stopped: --server_url \S+ answers, but not as the ICA API \(ICA GET \S+ failed with HTTP 200: field `\(response body\)`/);
    expect(webhook.posts).toHaveLength(2);
    expect(await metric("cycle_outcome", { outcome: "failures" })).toBe(1);
  });

  it("a server_url naming another API is a configuration error naming the URL, whatever it answers", async () => {
    const answers: Array<[number, string, string]> = [
      [404, "application/json", '{"error":"no route"}'],
      [405, "text/plain", "Method Not Allowed"],
      [200, "application/json", '{"status":"ok","version":"2.3"}'],
    ];
    for (const [status, type, body] of answers) {
      const other = await notIca(status, type, body);
      try {
        const result = await cli(withFlag(args, "--server_url", other.url));
        expect(result.code, `HTTP ${status}`).toBe(2);
        expect(result.err).toMatch(new RegExp(`--server_url ${other.url}/ answers, but not as the ICA API \\(ICA GET /api/projects failed with HTTP ${status}.*set server_url to the ICA server itself`));
      } finally {
        await other.close();
      }
    }
  });
});
