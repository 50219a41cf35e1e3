import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "winston";
import writeFileAtomic from "write-file-atomic";
import { type CycleMetricsInput, type MetricKey, cycleSamples, metricHelp, metricName, seriesLabels, toFamilies } from "./cycle-metrics.js";
import { type Sample, expositionContentType, parseExposition, renderExposition } from "./exposition.js";

export interface MetricsExporterOptions {
  /** `--metrics_file`: rewritten atomically after every cycle. */
  file?: string;
  /** `--metrics_port` (watch): serves the same text at /metrics. */
  port?: number;
  /** The address the port listens on (`--metrics_host`); loopback unless told otherwise. */
  host?: string;
  logger: Logger;
}

/** The /metrics port cannot be listened on (in use, not allowed): a configuration problem. */
export class MetricsServeError extends Error {
  override name = "MetricsServeError";
}

type PairSamples = Map<MetricKey, Sample[]>;

const keyByName = new Map((Object.keys(metricHelp) as MetricKey[]).map((key) => [metricName(key), key]));
/** A pair's series, the delivery-only cycles' (labelled `cycle`) apart from the full ones'. */
const pairKey = (labels: Readonly<Record<string, string>>): string => JSON.stringify([labels.source ?? "", labels.destination ?? "", labels.cycle ?? ""]);

/** node_exporter runs as another user: the file must be readable by others (it holds no secret). */
const fileMode = 0o644;

/**
 * The cycle's figures in the Prometheus text format, for node_exporter's textfile collector (a file,
 * replaced atomically so the collector never reads half of it) and/or a /metrics endpoint in watch
 * mode. One exporter holds every source/destination pair (labels `source`, `destination`); figures of
 * pairs this process did not run, and each pair's last success, are carried over from the file.
 * Publishing never throws: metrics must not fail a cycle.
 */
export class MetricsExporter {
  private readonly pairs = new Map<string, PairSamples>();
  private text = "";
  private server: http.Server | undefined;

  private constructor(private readonly options: MetricsExporterOptions) {}

  static async start(options: MetricsExporterOptions): Promise<MetricsExporter> {
    const exporter = new MetricsExporter(options);
    if (options.file !== undefined) await exporter.load(options.file);
    if (options.port !== undefined) await exporter.listen(options.port, options.host ?? "127.0.0.1");
    return exporter;
  }

  /** `http://host:port/metrics` once listening. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}/metrics` : undefined;
  }

  /** The exposition text as last published (or loaded). */
  render(): string {
    return this.text;
  }

  /** Records a finished cycle (a dry run changes nothing, its metrics included). */
  async publish(input: CycleMetricsInput): Promise<void> {
    if (input.report.dryRun) return;
    const key = pairKey(seriesLabels(input.report));
    const samples = cycleSamples(input);
    // This cycle's finish time when its outcome matches, else the one carried over from an earlier cycle.
    const carried = (metric: MetricKey, outcome: string): void => {
      const sample = input.report.outcome === outcome
        ? { name: metricName(metric), labels: seriesLabels(input.report), value: Date.parse(input.report.finishedAt) / 1000 }
        : this.pairs.get(key)?.get(metric)?.[0];
      if (sample) samples.set(metric, [sample]);
    };
    carried("cycle_last_success_timestamp_seconds", "ok");
    carried("cycle_last_failure_timestamp_seconds", "failures");
    this.pairs.set(key, samples);
    this.text = this.renderAll();
    if (this.options.file === undefined) return;
    try {
      await writeFileAtomic(this.options.file, this.text, { mode: fileMode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.options.logger.warn(`cannot write metrics file ${this.options.file} (${code}): check that its directory exists and is writable`);
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private renderAll(): string {
    const merged = new Map<MetricKey, Sample[]>();
    for (const key of [...this.pairs.keys()].sort()) {
      for (const [metric, samples] of this.pairs.get(key) ?? []) merged.set(metric, [...(merged.get(metric) ?? []), ...samples]);
    }
    return renderExposition(toFamilies(merged));
  }

  /** Takes the previous file's figures; a missing file is a first run, an unreadable one is replaced. */
  private async load(file: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.warnReplaced(file, (error as NodeJS.ErrnoException).code ?? "unreadable");
      return;
    }
    try {
      for (const family of parseExposition(text)) {
        const metric = keyByName.get(family.name);
        if (metric === undefined) continue;
        for (const sample of family.samples) {
          const pair = pairKey(sample.labels);
          const samples = this.pairs.get(pair) ?? new Map<MetricKey, Sample[]>();
          samples.set(metric, [...(samples.get(metric) ?? []), sample]);
          this.pairs.set(pair, samples);
        }
      }
      this.text = this.renderAll();
    } catch (error) {
      this.pairs.clear();
      this.warnReplaced(file, (error as Error).message);
    }
  }

  private warnReplaced(file: string, reason: string): void {
    this.options.logger.warn(`metrics file ${file} cannot be read (${reason}): it is replaced after the next cycle, without the earlier last-success time`);
  }

  private async listen(port: number, host: string): Promise<void> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/metrics") {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found: metrics are at /metrics\n");
      } else if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      } else {
        res.writeHead(200, { "content-type": expositionContentType }).end(req.method === "HEAD" ? undefined : this.text);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(new MetricsServeError(`cannot serve metrics on ${host}:${port} (${error.code ?? error.message}): choose another --metrics_port`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }
}
