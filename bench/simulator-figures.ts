import { get as httpGet } from "node:http";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { startSimulator, type Simulator, type SimulatorOptions } from "../src/simulator/index.js";
import { median } from "./median.js";

/** Starts a simulator and times it: fixture generation, loading and indexing, listening. */
export async function startTimed(options: SimulatorOptions): Promise<{ sim: Simulator; loadMs: number }> {
  const started = performance.now();
  const sim = await startSimulator(options);
  return { sim, loadMs: Math.round(performance.now() - started) };
}

interface RawPage {
  status: number;
  /** The JSON body, parsed after the clock stopped: the client's own work is not the simulator's. */
  read(): { items?: unknown[]; nextPageToken?: string };
}

/** One GET asking for gzip as the clients do, timed from sending to the last byte received. */
function getRaw(url: string, headers: Record<string, string>): Promise<{ page: RawPage; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpGet(url, { headers: { ...headers, "Accept-Encoding": "gzip" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const ms = performance.now() - started;
        const body = Buffer.concat(chunks);
        const text = () => (res.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8");
        resolve({ page: { status: res.statusCode ?? 0, read: () => JSON.parse(text()) as ReturnType<RawPage["read"]> }, ms });
      });
    });
    req.on("error", reject);
  });
}

/**
 * Median time the simulator takes to serve one 1,000-item page of a project's data (request sent →
 * last gzipped byte received), walking the cursor so pages come from all over the index. Call it
 * before any latency is configured: it measures the simulator, not the injected wait.
 */
export async function measureDataPageMs(sim: Simulator, projectId: string, pages = 40): Promise<number> {
  const base = `${sim.icaUrl}/ica/rest/api/projects/${projectId}/data`;
  const headers = { "X-API-Key": sim.apiKey, Accept: "application/vnd.illumina.v3+json" };
  const times: number[] = [];
  let token = "";
  for (let i = 0; i < pages; i++) {
    const { page, ms } = await getRaw(`${base}?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`, headers);
    const body = page.read();
    if (page.status !== 200 || body.items?.length !== 1000) {
      throw new Error(`data page ${i} answered ${page.status} with ${body.items?.length ?? 0} items; the project needs ≥ ${pages}k items`);
    }
    times.push(ms);
    token = body.nextPageToken ?? "";
  }
  return Math.round(median(times) * 10) / 10;
}
