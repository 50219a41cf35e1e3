import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, SecretRedactor } from "../../src/logging/index.js";
import { MetricsExporter, parseExposition, pendingByKind, type CycleMetricsInput, type MetricsReportFacts } from "../../src/metrics/index.js";
import { LogSink } from "../orchestrator/cycle-settings.js";

let dir: string;
let sink: LogSink;
const exporters: MetricsExporter[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-metrics-"));
  sink = new LogSink();
});
afterEach(async () => {
  await Promise.all(exporters.splice(0).map((e) => e.close()));
  await rm(dir, { recursive: true, force: true });
});

const logger = () => createLogger({ redactor: new SecretRedactor(), level: "debug", console: { stream: sink, colors: false } });
async function start(options: { file?: string; port?: number } = {}): Promise<MetricsExporter> {
  const exporter = await MetricsExporter.start({ host: "127.0.0.1", logger: logger(), ...options });
  exporters.push(exporter);
  return exporter;
}

const report = (extra: Partial<MetricsReportFacts> = {}): MetricsReportFacts => ({
  dryRun: false,
  outcome: "ok",
  finishedAt: "2025-06-10T12:00:00.000Z",
  durationMs: 12_345,
  source: { id: "src-1", name: "core-bssh-runs" },
  destination: { id: "dst-1", name: "mgi-fastq-delivery" },
  errors: [],
  warnings: ["w1"],
  steps: [
    { name: "manageNew", counts: { linked: 8, pending: 2 } },
    { name: "icaLifecycle", counts: { archived: 3 } },
  ],
  actions: [
    { action: "link", ids: ["fil.1", "fil.2", "fil.3"], result: "ok" },
    { action: "link", ids: ["fil.4"], result: "ok" },
    { action: "archive", ids: ["fol.1"], result: "failed" },
    { action: "delete", ids: ["fol.2", "fol.3"], result: "ok" },
  ],
  apiCalls: { total: 42, byRoute: { "ica GET /api/projects/{projectId}/data": 40, "basespace POST /v2/archive": 2 } },
  ...extra,
});
const input = (extra: Partial<MetricsReportFacts> = {}, pending: Record<string, number> = { analysis: 2, managing: 1 }): CycleMetricsInput => ({
  report: report(extra),
  pending,
});

/** value of the one sample of `name` whose labels include `labels`. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = parseExposition(text).find((f) => f.name === `ica_orchestrator_${name}`);
  const matches = family?.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)) ?? [];
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]?.value;
}

describe("metrics/MetricsExporter file", () => {
  it("writes the cycle's figures, labelled by pair, readable by node_exporter, replacing the file atomically", async () => {
    const file = join(dir, "ica.prom");
    const exporter = await start({ file });
    await exporter.publish(input());
    const text = await readFile(file, "utf8");
    expect(text).toBe(exporter.render());
    const pair = { source: "core-bssh-runs", destination: "mgi-fastq-delivery" };
    expect(value(text, "cycle_duration_seconds", pair)).toBe(12.345);
    expect(value(text, "cycle_outcome", { ...pair, outcome: "ok" })).toBe(1);
    expect(value(text, "cycle_outcome", { outcome: "failures" })).toBe(0);
    expect(value(text, "cycle_last_run_timestamp_seconds")).toBe(1_749_556_800);
    expect(value(text, "cycle_last_success_timestamp_seconds")).toBe(1_749_556_800);
    expect(value(text, "cycle_errors")).toBe(0);
    expect(value(text, "cycle_warnings")).toBe(1);
    expect(value(text, "cycle_api_calls_all")).toBe(42);
    expect(value(text, "cycle_api_calls", { service: "ica", method: "GET", route: "/api/projects/{projectId}/data" })).toBe(40);
    expect(value(text, "cycle_actions", { action: "link", result: "ok" })).toBe(4);
    expect(value(text, "cycle_actions", { action: "archive", result: "failed" })).toBe(1);
    expect(value(text, "cycle_actions", { action: "delete", result: "ok" })).toBe(2);
    expect(value(text, "cycle_step_count", { step: "manageNew", count: "pending" })).toBe(2);
    expect(value(text, "pending", { kind: "managing" })).toBe(1);
    expect(text).toMatch(/^# HELP ica_orchestrator_cycle_duration_seconds Duration of the last cycle\.\n# TYPE ica_orchestrator_cycle_duration_seconds gauge\n/);
    expect((await stat(file)).mode & 0o777).toBe(0o644);

    const before = (await stat(file)).ino;
    await exporter.publish(input({ outcome: "failures", errors: ["e1", "e2"], finishedAt: "2025-06-10T13:00:00.000Z" }));
    const after = await readFile(file, "utf8");
    // A new inode: the file was renamed into place, never rewritten where the collector reads it.
    expect((await stat(file)).ino).not.toBe(before);
    expect(await readdir(dir)).toEqual(["ica.prom"]);
    expect(value(after, "cycle_outcome", { outcome: "failures" })).toBe(1);
    expect(value(after, "cycle_errors")).toBe(2);
    expect(value(after, "cycle_last_run_timestamp_seconds")).toBe(1_749_560_400);
    expect(value(after, "cycle_last_success_timestamp_seconds")).toBe(1_749_556_800);
  });

  it("carries other pairs' figures and each pair's last success over from the previous file", async () => {
    const file = join(dir, "ica.prom");
    const first = await start({ file });
    await first.publish(input());
    await first.publish(input({ source: { id: "src-2", name: "other-runs" }, outcome: "failures" }));
    // A later process (the next cron run) runs only the first pair, and fails.
    const second = await start({ file });
    expect(second.render()).toBe(await readFile(file, "utf8"));
    await second.publish(input({ outcome: "failures", finishedAt: "2025-06-11T12:00:00.000Z" }));
    const text = await readFile(file, "utf8");
    expect(value(text, "cycle_last_success_timestamp_seconds", { source: "core-bssh-runs" })).toBe(1_749_556_800);
    expect(value(text, "cycle_last_success_timestamp_seconds", { source: "other-runs" })).toBeUndefined();
    expect(value(text, "cycle_outcome", { source: "other-runs", outcome: "failures" })).toBe(1);
    expect(value(text, "cycle_last_run_timestamp_seconds", { source: "core-bssh-runs" })).toBe(1_749_643_200);
    expect(parseExposition(text).find((f) => f.name === "ica_orchestrator_cycle_outcome")?.samples).toHaveLength(8);
  });

  it("keeps a delivery cycle's figures apart (cycle=\"delivery\"): the fast path of watch never replaces the full cycle's", async () => {
    const file = join(dir, "ica.prom");
    const exporter = await start({ file });
    await exporter.publish(input());
    await exporter.publish(input({ kind: "delivery", durationMs: 2_000, finishedAt: "2025-06-10T12:05:00.000Z" }));
    // A restarted watch reads both back as they were.
    const text = (await start({ file })).render();
    const series = parseExposition(text).find((f) => f.name === "ica_orchestrator_cycle_duration_seconds")?.samples ?? [];
    expect(series.map((s) => [s.labels.cycle ?? "full", s.value]).sort()).toEqual([["delivery", 2], ["full", 12.345]]);
    expect(value(text, "cycle_last_success_timestamp_seconds", { cycle: "delivery" })).toBe(1_749_557_100);
  });

  it("ignores dry runs, replaces an unreadable file, and logs a write failure instead of throwing", async () => {
    const file = join(dir, "ica.prom");
    await writeFile(file, "garbage line\n");
    const exporter = await start({ file });
    expect(sink.text).toMatch(/metrics file .*ica\.prom cannot be read \(line 1: .*\): it is replaced after the next cycle/);
    await exporter.publish(input({ dryRun: true }));
    expect(await readFile(file, "utf8")).toBe("garbage line\n");
    await exporter.publish(input());
    expect(value(await readFile(file, "utf8"), "cycle_errors")).toBe(0);

    const nowhere = await start({ file: join(dir, "missing-dir", "ica.prom") });
    await expect(nowhere.publish(input())).resolves.toBeUndefined();
    expect(sink.text).toMatch(/cannot write metrics file .*missing-dir\/ica\.prom \(ENOENT\): check that its directory exists and is writable/);
  });

  it("gives the storage under management by class and its estimated monthly iCredits, when the report has them", async () => {
    const file = join(dir, "ica.prom");
    const exporter = await start({ file });
    await exporter.publish(input({ storage: { standardTB: 2.5, archivedTB: 10, estimatedMonthlyIcredits: 76.25 } }));
    const text = await readFile(file, "utf8");
    expect(value(text, "storage_managed_terabytes", { class: "standard" })).toBe(2.5);
    expect(value(text, "storage_managed_terabytes", { class: "archived" })).toBe(10);
    expect(value(text, "storage_estimated_monthly_icredits")).toBe(76.25);
  });

  it("counts waiting items by kind", () => {
    expect(pendingByKind([{ kind: "analysis" }, { kind: "managing" }, { kind: "analysis" }])).toEqual({ analysis: 2, managing: 1 });
  });
});

describe("metrics/MetricsExporter server", () => {
  it("serves the last figures at /metrics, and nothing else", async () => {
    const exporter = await start({ port: 0 });
    const url = exporter.url ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const empty = await fetch(url);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe("");
    await exporter.publish(input());
    const scraped = await fetch(url);
    expect(scraped.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await scraped.text()).toBe(exporter.render());
    expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
    const post = await fetch(url, { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    expect((await fetch(url.replace("/metrics", "/"))).status).toBe(404);
  });

  it("says which port is taken", async () => {
    const first = await start({ port: 0 });
    const port = Number(new URL(first.url ?? "").port);
    await expect(start({ port })).rejects.toThrow(`cannot serve metrics on 127.0.0.1:${port} (EADDRINUSE): choose another --metrics_port`);
  });
});
