import { execFile, spawn } from "node:child_process";
import { open, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";
import { asTheBinStarts } from "../src/cli/memory-flags.js";
import { IcaClient } from "../src/ica/client.js";
import type { IcaData } from "../src/ica/schemas.js";
import { SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";
import { startSimulator, type Simulator } from "../src/simulator/index.js";
import { readPartsLog } from "../src/modules/data-transfer/download/file-state.js";
import { startByteCountingProxy, type ByteCountingProxy } from "./byte-counting-proxy.js";
import type { DownloadResult } from "./results.js";

const childScript = fileURLToPath(new URL("./download-child.js", import.meta.url));
const objectRoute = "GET /{Bucket}/{Key+}";
/** The command's part size (download-manifest.ts). */
const partBytes = 8 * 1024 * 1024;
const minManifestBytes = 2 * 2 ** 30;
const concurrency = 8;

const childResultSchema = z.object({ code: z.int(), maxRssKb: z.number(), cpuMs: z.number() });

export interface DownloadContext {
  workDir: string;
  progress: (line: string) => void;
}

/**
 * The smallest demo FASTQs, at their real sizes, until the manifest holds at least 2 GiB (two files
 * at least, so files run side by side): a manifest with the newer columns.
 */
async function writeManifest(ica: IcaClient, projectId: string, path: string): Promise<IcaData[]> {
  // By name: a manifest saves each file under its name, and Undetermined_* names repeat across runs.
  const byName = new Map<string, IcaData>();
  for await (const file of ica.listData(projectId, { type: "FILE", status: ["AVAILABLE"] })) {
    if (/\.fastq\.gz$/i.test(file.name) && file.sizeBytes && !byName.has(file.name)) byName.set(file.name, file);
  }
  const fastqs = [...byName.values()].sort((a, b) => (a.sizeBytes ?? 0) - (b.sizeBytes ?? 0));
  const chosen: IcaData[] = [];
  for (const file of fastqs) {
    if (chosen.length >= 2 && chosen.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0) >= minManifestBytes) break;
    chosen.push(file);
  }
  const rows = chosen.map((f) => [f.name, f.path, f.id, projectId, f.sizeBytes, f.objectETag ?? ""].join(","));
  await writeFile(path, ["file_name,file_path,data_id,project_id,size_bytes,checksum", ...rows, ""].join("\n"));
  return chosen;
}

const gets = (sim: Simulator): number => sim.stats().byRoute[objectRoute] ?? 0;

/** The download command in a child process; `onRunning` may kill it. */
async function runTool(
  sim: Simulator,
  workDir: string,
  label: string,
  args: readonly string[],
  s3Url = sim.s3Url,
  onRunning?: (pid: number, running: () => boolean) => Promise<void>,
) {
  const resultPath = join(workDir, `${label}.result.json`);
  const cliArgs = ["download", ...args, "--server_url", sim.icaUrl, "--s3_endpoint", s3Url, "--api_key_file", sim.apiKeyFile ?? "", "--concurrency", String(concurrency)];
  const started = performance.now();
  const log = await open(join(workDir, `${label}.log`), "w");
  const start = asTheBinStarts([childScript, resultPath, ...cliArgs]);
  const child = spawn(process.execPath, start.args, { stdio: ["ignore", log.fd, log.fd], env: start.env });
  let running = true;
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      running = false;
      resolve(code);
    });
  });
  if (onRunning && child.pid !== undefined) await onRunning(child.pid, () => running);
  const code = await exited;
  await log.close();
  if (code !== 0 && !(code === null && onRunning)) throw new Error(`${label} exited with ${code ?? "a signal"}; see ${join(workDir, `${label}.log`)}`);
  const wallMs = performance.now() - started;
  const result = code === null ? undefined : childResultSchema.parse(JSON.parse(await readFile(resultPath, "utf8")));
  return { wallMs, code, result };
}

/** What the parts logs under `dest` say is on disk: whole parts (all of a verified file's), checkpointed bytes, files begun. */
async function onDisk(dest: string, files: readonly IcaData[]) {
  const state = join(dest, ".ica-download");
  const names = new Set(await readdir(state).catch(() => [] as string[]));
  const found = { parts: 0, begun: 0, bytes: 0, filesInFlight: 0 };
  for (const file of files) {
    const size = file.sizeBytes ?? 0;
    if (names.has(`${file.name}.verified.json`)) {
      found.parts += Math.ceil(size / partBytes);
      found.bytes += size;
    } else if (names.has(`${file.name}.parts`)) {
      const log = await readPartsLog(join(state, `${file.name}.parts`), { dataId: file.id, size, checksum: file.objectETag ?? "", partSize: partBytes });
      found.parts += log.done.size;
      found.begun += log.begun.size;
      for (const part of log.done) found.bytes += Math.min(partBytes, size - part * partBytes);
      for (const bytes of log.begun.values()) found.bytes += bytes;
      found.filesInFlight += 1;
    }
  }
  return found;
}

/**
 * Bytes process `pid` has written with write(2) and the like (`wchar` in /proc/<pid>/io, Linux): the
 * file bytes, and a few KB of parts-log lines and output.
 */
async function bytesWritten(pid: number): Promise<number> {
  const io = await readFile(`/proc/${pid}/io`, "utf8");
  const wchar = /^wchar: (\d+)$/m.exec(io)?.[1];
  if (wchar === undefined) throw new Error(`/proc/${pid}/io has no wchar line`);
  return Number(wchar);
}

async function which(command: string): Promise<string | undefined> {
  try {
    return (await promisify(execFile)("which", [command])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** curl on the same presigned URLs: one process fetching them in turn, then `xargs -P` curls side by side. */
async function runCurl(ica: IcaClient, files: readonly IcaData[], dest: string, projectId: string, bytes: number) {
  const urls = await Promise.all(files.map((f) => ica.createDownloadUrl(projectId, f.id)));
  const timed = async (command: string, args: string[], input?: string) => {
    await rm(dest, { recursive: true, force: true });
    await promisify(execFile)("mkdir", ["-p", dest]);
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { stdio: [input === undefined ? "ignore" : "pipe", "ignore", "inherit"] });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
      if (input !== undefined) child.stdin?.end(input);
    });
    const wallMs = Math.round(performance.now() - started);
    return { wallMs, mbPerS: Math.round((bytes / 1e6 / (wallMs / 1000)) * 10) / 10 };
  };
  const outputs = files.flatMap((f, i) => ["-o", join(dest, f.name), urls[i] ?? ""]);
  const sequential = await timed("curl", ["-sS", "--fail", ...outputs]);
  const parallel = await timed("xargs", ["-P", String(concurrency), "-n", "3", "curl", "-sS", "--fail"], `${outputs.join("\n")}\n`);
  return { sequential, parallel };
}

/**
 * The command killed with SIGKILL once half the bytes are logged on disk, then run again through
 * `relay`, which counts the bytes the store sends it. Those beyond the bytes the killed run had written
 * are what the resume fetched twice.
 */
async function resumeAfterKill(sim: Simulator, workDir: string, relay: ByteCountingProxy, manifest: string, dest: string, files: readonly IcaData[]) {
  const bytes = files.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0);
  sim.resetStats();
  let writtenAtKill = 0;
  await runTool(sim, workDir, "download-killed", [manifest, "--dest", dest], sim.s3Url, async (pid, running) => {
    while (running() && (await onDisk(dest, files)).bytes < bytes / 2) await delay(25);
    if (!running()) throw new Error("the download to be killed half-way finished first");
    // Stopped first, so the bytes it wrote (the kernel's count) are those the kill leaves on disk.
    process.kill(pid, "SIGSTOP");
    writtenAtKill = await bytesWritten(pid);
    process.kill(pid, "SIGKILL");
  });
  const getsAtKill = gets(sim);
  const atKill = await onDisk(dest, files);
  sim.resetStats();
  const resumed = await runTool(sim, workDir, "download-resumed", [manifest, "--dest", dest], relay.url);
  return {
    partsDoneAtKill: atKill.parts,
    partsInFlightAtKill: Math.max(0, getsAtKill - atKill.parts),
    partsFetchedOnResume: gets(sim),
    exitCode: resumed.code ?? -1,
    filesInFlightAtKill: atKill.filesInFlight,
    partsContinuedOnResume: atKill.begun,
    bytesOnDiskAtKill: atKill.bytes,
    bytesFetchedOnResume: relay.received(),
    bytesWrittenAtKill: writtenAtKill,
    bytesReRead: relay.received() - (bytes - writtenAtKill),
  };
}

/**
 * `download`: the command on a ≥ 2 GiB manifest over loopback (no latency added), curl on the same
 * presigned URLs, and a run killed with SIGKILL once half the bytes are logged on disk, then resumed.
 */
export async function runDownload(ctx: DownloadContext): Promise<DownloadResult> {
  const sim = await startSimulator({ fixture: "demo", credentialsDir: join(ctx.workDir, "download-credentials") });
  try {
    const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
    const projectId = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id ?? "";
    const manifest = join(ctx.workDir, "download.manifest.csv");
    const files = await writeManifest(ica, projectId, manifest);
    const bytes = files.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0);
    const parts = files.reduce((sum, f) => sum + Math.ceil((f.sizeBytes ?? 0) / partBytes), 0);
    const mbPerS = (wallMs: number) => Math.round((bytes / 1e6 / (wallMs / 1000)) * 10) / 10;
    ctx.progress(`download: ${files.length} files, ${(bytes / 1e9).toFixed(2)} GB`);

    const dest = join(ctx.workDir, "download-dest");
    const full = await runTool(sim, ctx.workDir, "download-full", [manifest, "--dest", dest]);
    if (!full.result) throw new Error("the download was killed");
    ctx.progress(`download: ${Math.round(full.wallMs)} ms, exit ${full.code}, ${Math.round(full.result.maxRssKb / 1024)} MB peak RSS`);
    await rm(dest, { recursive: true, force: true });

    const curl = await which("curl");
    const curlRuns = curl ? await runCurl(ica, files, dest, projectId, bytes) : undefined;
    await rm(dest, { recursive: true, force: true });

    const relay = await startByteCountingProxy(sim.s3Url);
    const resume = await resumeAfterKill(sim, ctx.workDir, relay, manifest, dest, files).finally(() => relay.close());
    await rm(dest, { recursive: true, force: true });

    return {
      date: new Date().toISOString(),
      files: files.length,
      bytes,
      concurrency,
      partBytes,
      tool: {
        wallMs: Math.round(full.wallMs),
        mbPerS: mbPerS(full.wallMs),
        peakRssMb: Math.round(full.result.maxRssKb / 102.4) / 10,
        exitCode: full.code ?? -1,
        cpuMs: Math.round(full.result.cpuMs),
      },
      curlSequential: curlRuns?.sequential ?? null,
      curlParallel: curlRuns?.parallel ?? null,
      ...(curl ? {} : { curlSkipped: "curl is not installed on this machine (`which curl` found nothing)" }),
      resume: { ...resume, parts, partsLeft: parts - resume.partsDoneAtKill },
    };
  } finally {
    await sim.stop();
  }
}
