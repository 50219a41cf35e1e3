import { access, readFile, stat } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { metricName, parseExposition } from "../../src/metrics/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-metrics-");
  sim = await startCliSimulator(dir.path);
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** A server on 127.0.0.1 holding a port; `close` frees it. */
async function holdPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting for the watch to get there");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sampleValue = (text: string, key: Parameters<typeof metricName>[0], labels: Record<string, string> = {}): number | undefined =>
  parseExposition(text)
    .find((f) => f.name === metricName(key))
    ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("metrics", () => {
  it("run --metrics_file writes the cycle's figures in the Prometheus text format, readable by node_exporter; plan writes none", async () => {
    const file = join(dir.path, "ica_orchestrator.prom");
    const planned = capturedContext({ cwd: dir.path });
    expect(await runCli(["plan", "--metrics_file", file, ...args], planned)).toBe(0);
    expect(await exists(file)).toBe(false);

    // A relative path is the working directory's.
    const context = capturedContext({ cwd: dir.path });
    expect(await runCli(["run", "--metrics_file", "ica_orchestrator.prom", ...args], context)).toBe(0);
    const text = await readFile(file, "utf8");
    expect(sampleValue(text, "cycle_outcome", { outcome: "ok" })).toBe(1);
    expect(sampleValue(text, "cycle_api_calls_all")).toBeGreaterThan(10);
    expect(sampleValue(text, "cycle_actions", { action: "link", result: "ok" })).toBeGreaterThan(0);
    const lastSuccess = sampleValue(text, "cycle_last_success_timestamp_seconds") ?? 0;
    expect(Math.abs(lastSuccess * 1000 - sim.clock.now())).toBeLessThan(60_000);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it("watch --metrics_port serves /metrics on the loopback after each cycle, and stops serving when watch stops", async () => {
    const free = await holdPort();
    await free.close();
    const context = capturedContext({ cwd: dir.path });
    const watching = runCli(["watch", "--metrics_port", String(free.port), ...args], context);
    await until(() => /^Cycle \S+: /m.test(context.out()));
    const response = await fetch(`http://127.0.0.1:${free.port}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(await response.text(), "cycle_outcome", { outcome: "ok" })).toBe(1);
    expect(context.err()).toContain(`serving metrics at http://127.0.0.1:${free.port}/metrics`);
    context.shutdown();
    expect(await watching).toBe(0);
    await expect(fetch(`http://127.0.0.1:${free.port}/metrics`)).rejects.toThrow();
  });

  it("watch exits 2 with one line when the metrics port is taken, before any cycle; the address comes from metrics_host", async () => {
    const taken = await holdPort();
    try {
      // The image's setting: every interface, so a published port reaches it (taken here: nothing listens).
      const context = capturedContext({ cwd: dir.path, env: { ICA_ORCHESTRATOR_METRICS_HOST: "0.0.0.0" } });
      expect(await runCli(["watch", "--metrics_port", String(taken.port), ...args], context)).toBe(2);
      expect(context.err()).toContain(`cannot serve metrics on 0.0.0.0:${taken.port} (EADDRINUSE): choose another --metrics_port`);
      expect(context.out()).toBe("");
      expect(sim.stats().total).toBe(0);
    } finally {
      await taken.close();
    }
  });
});
