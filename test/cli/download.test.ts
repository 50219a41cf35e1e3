import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IcaClient } from "../../src/ica/client.js";
import type { IcaData } from "../../src/ica/schemas.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { MultipartUploads } from "../../src/simulator/s3/multipart.js";
import type { Simulator } from "../../src/simulator/server.js";
import { runCli } from "../../src/cli/run-cli.js";
import { readPartsLog } from "../../src/modules/data-transfer/download/file-state.js";
import { startByteCountingProxy } from "../../bench/byte-counting-proxy.js";
import { capturedContext, runCliIn, spawnCli, tempDir, until } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

/** Issue 16 item 3: `download <manifest> --dest DIR`, through the CLI against the simulator's bytes. */
const MiB = 1024 * 1024;
/** Every FASTQ is 20 MiB + 123 bytes: three 8 MiB parts, a multipart ETag. */
const cap = 20 * MiB + 123;
const objectRoute = "GET /{Bucket}/{Key+}";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;

beforeEach(async () => {
  dir = await tempDir("ica-orch-download-");
  sim = await startCliSimulator(dir.path, { fileBytesCap: cap });
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const credentials = () => ["--server_url", sim.icaUrl, "--s3_endpoint", sim.s3Url, "--api_key_file", sim.apiKeyFile ?? ""];
const download = (...args: string[]) => runCliIn(dir.path, ["download", ...args, ...credentials()]);
const dest = () => join(dir.path, "out");
const gets = () => sim.stats().byRoute[objectRoute] ?? 0;
const sourceId = () => sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id ?? "";

/** Two FASTQs (multipart ETags) and a small sample sheet (a plain MD5), as ICA lists them. */
async function sourceFiles(): Promise<IcaData[]> {
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const files: IcaData[] = [];
  for await (const file of ica.listData(sourceId(), { type: "FILE" })) files.push(file);
  const fastqs = files.filter((f) => f.name.endsWith(".fastq.gz") && f.status === "AVAILABLE").slice(0, 2);
  const sheet = files.find((f) => f.name === "SampleSheet_draft.csv");
  if (fastqs.length < 2 || !sheet) throw new Error("the demo fixture lacks the files this test downloads");
  return [...fastqs, sheet];
}

/** What the parts log of `file` under `dest()` says is on disk. */
const onDisk = (file: IcaData) =>
  readPartsLog(join(dest(), ".ica-download", `${file.name}.parts`), { dataId: file.id, size: file.sizeBytes ?? 0, checksum: file.objectETag ?? "", partSize: 8 * MiB });

/** A manifest of `files`: the four original columns, and with `extra` the size and checksum after them. */
async function writeManifest(files: readonly IcaData[], extra = true, checksumOf = (f: IcaData) => f.objectETag ?? ""): Promise<string> {
  const header = extra ? "file_name,file_path,data_id,project_id,size_bytes,checksum" : "file_name,file_path,data_id,project_id";
  const rows = files.map((f) => [f.name, f.path, f.id, sourceId(), ...(extra ? [f.sizeBytes, checksumOf(f)] : [])].join(","));
  const path = join(dir.path, "manifest.csv");
  await writeFile(path, [header, ...rows, ""].join("\n"));
  return path;
}

/** The S3 multipart ETag of the bytes on disk, by the simulator's own multipart completion (not the code under test). */
async function etagOnDisk(path: string): Promise<string> {
  const bytes = await readFile(path);
  const uploads = new MultipartUploads(() => 0.5);
  const upload = uploads.create("k", "application/octet-stream");
  const parts = [];
  for (let offset = 0, n = 1; offset < bytes.length; offset += 8 * MiB, n++) {
    parts.push({ partNumber: n, etag: uploads.putPart(upload, String(n), bytes.subarray(offset, offset + 8 * MiB)) });
  }
  return uploads.complete(upload, parts).etag.replace(/"/g, "");
}

describe("download", () => {
  it("fetches and verifies every file, says how each was checked; a second run fetches nothing", async () => {
    const files = await sourceFiles();
    const manifest = await writeManifest(files);
    const first = await download(manifest, "--dest", dest());
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const [a, b, sheet] = files as [IcaData, IcaData, IcaData];
    expect(first.out).toContain(`verified  ${a.name}  21.0 MB  S3 multipart ETag (3 parts of 8 MiB)`);
    expect(first.out).toContain(`verified  ${sheet.name}  4.8 KB  MD5`);
    expect(first.out).toMatch(/3 files in .*: 3 downloaded and verified, 0 already present, 0 failed/);
    expect(await etagOnDisk(join(dest(), a.name))).toBe(a.objectETag);
    expect(await etagOnDisk(join(dest(), b.name))).toBe(b.objectETag);
    expect(await readdir(join(dest(), ".ica-download"))).toEqual(expect.arrayContaining([`${a.name}.verified.json`]));

    sim.resetStats();
    const second = await download(manifest, "--dest", dest());
    expect(second.code).toBe(0);
    expect(second.out).toContain(`present   ${a.name}  21.0 MB  S3 multipart ETag (3 parts of 8 MiB)`);
    expect(second.out).toContain("all 3 files already present and verified");
    expect(sim.stats().total).toBe(0);
  });

  it("reads an original four-column manifest: size and checksum come from ICA's file details", async () => {
    const files = await sourceFiles();
    const result = await download(await writeManifest(files, false), "--dest", dest());
    expect(result.code).toBe(0);
    expect(result.out).toContain(`verified  ${files[0]?.name}  21.0 MB  S3 multipart ETag (3 parts of 8 MiB)`);
    expect(sim.stats().byRoute["GET /ica/rest/api/projects/{projectId}/data/{dataId}"]).toBe(3);
  });

  it("finds the manifest a cycle uploaded, by name, in the destination project", async () => {
    const cycle = await runCliIn(dir.path, ["run", ...simulatorArgs(sim, dir.path)]);
    expect(cycle.code).toBe(0);
    const [name] = await readdir(join(dir.path, "state", "manifests"));
    if (name === undefined) throw new Error("the cycle kept no manifest");
    const result = await download(name, "--dest", dest(), "--destination_project_name", DESTINATION_PROJECT_NAME);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/files in .*: \d+ downloaded and verified, 0 already present, 0 failed/);
  });

  it("renews temporary credentials that expired mid-way and carries on", async () => {
    const files = await sourceFiles();
    const manifest = await writeManifest(files.slice(0, 1));
    // The first part is held by the store; meanwhile the simulated clock passes the credentials' expiry.
    sim.setFaults({ rules: [{ route: objectRoute, rate: 1, kinds: ["slow"], slowMs: 2_000, limit: 1 }] });
    const running = download(manifest, "--dest", dest(), "--concurrency", "1");
    await until(() => sim.stats().faulted > 0);
    sim.advanceClock(sim.timings.credentialsTtlMs + 60_000);
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/verified .* S3 multipart ETag \(3 parts of 8 MiB\); credentials renewed 1× after they expired/);
    expect(sim.stats().byRoute["POST /ica/rest/api/projects/{projectId}/data/{dataId}:createTemporaryCredentials"]).toBe(2);
  });

  it("a killed download continues from the parts on disk: only the part in flight is fetched again", async () => {
    const files = await sourceFiles();
    const manifest = await writeManifest(files.slice(0, 2));
    // Slow parts, one at a time, so the kill comes half-way.
    sim.setFaults({ rules: [{ route: objectRoute, rate: 1, kinds: ["slow"], slowMs: 300 }] });
    const killed = await spawnCli(["download", manifest, "--dest", dest(), "--concurrency", "1", ...credentials()]);
    const partsLogged = async () => (await Promise.all(files.slice(0, 2).map(async (f) => (await onDisk(f)).done.size))).reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 20_000;
    while ((await partsLogged()) < 2) {
      if (Date.now() > deadline) throw new Error("the download logged no parts within 20 s");
      await delay(20);
    }
    killed.child.kill("SIGKILL");
    await killed.exited;
    const done = await partsLogged();
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(6);
    // Concurrency 1: at most the one GET in flight at the kill was lost.
    expect(gets() - done).toBeLessThanOrEqual(1);

    sim.setFaults({ rules: [] });
    sim.resetStats();
    const resumed = await download(manifest, "--dest", dest());
    expect(resumed.code).toBe(0);
    expect(gets()).toBe(6 - done);
    expect(resumed.out).toMatch(/2 downloaded and verified/);
  });

  it("a killed download continues each part from its last checkpoint: at most one part per file in flight is fetched again", async () => {
    const [file] = await sourceFiles();
    const size = file?.sizeBytes;
    if (!file || !size) throw new Error("no FASTQ to download");
    const manifest = await writeManifest([file]);
    // A slow network, so the kill comes with the file's three parts all part-way (each held to 4 MiB/s).
    const slow = await startByteCountingProxy(sim.s3Url, { bytesPerSecond: 4 * MiB });
    const killed = await spawnCli(["download", manifest, "--dest", dest(), "--concurrency", "3", ...credentials(), "--s3_endpoint", slow.url]);
    let sentBeforeKill = 0;
    try {
      // Past 16 of the 20 MiB: the 4 MiB last part is done, the two 8 MiB ones are three quarters in.
      await until(() => slow.received() > 16 * MiB || killed.output.closed);
      killed.child.kill("SIGKILL");
      await killed.exited;
      sentBeforeKill = slow.received();
    } finally {
      await slow.close();
    }
    // The parts in flight had recorded how far they got.
    expect((await onDisk(file)).begun.size).toBeGreaterThan(0);

    const counting = await startByteCountingProxy(sim.s3Url);
    try {
      const resumed = await runCliIn(dir.path, ["download", manifest, "--dest", dest(), ...credentials(), "--s3_endpoint", counting.url]);
      expect(resumed.code).toBe(0);
      expect(resumed.out).toMatch(/1 downloaded and verified/);
      // What the store sent twice (headers included): less than one part, not the two parts in flight.
      expect(counting.received() - (size - sentBeforeKill)).toBeLessThan(8 * MiB);
    } finally {
      await counting.close();
    }
    expect(await etagOnDisk(join(dest(), file.name))).toBe(file.objectETag?.replace(/"/g, ""));
  });

  it("a corrupted byte on disk fails verification: the file is downloaded once more and verified", async () => {
    const files = await sourceFiles();
    const [file] = files as [IcaData];
    const manifest = await writeManifest([file]);
    expect((await download(manifest, "--dest", dest())).code).toBe(0);
    // As a killed run leaves it, every part logged, then one byte flipped on disk.
    const state = join(dest(), ".ica-download");
    const bytes = await readFile(join(dest(), file.name));
    bytes[9 * MiB] = (bytes[9 * MiB] ?? 0) ^ 0xff;
    await writeFile(join(state, `${file.name}.partial`), bytes);
    const identity = { dataId: file.id, size: file.sizeBytes, checksum: file.objectETag, partSize: 8 * MiB };
    await writeFile(join(state, `${file.name}.parts`), `${JSON.stringify(identity)}\n0\n1\n2\n`);
    await rm(join(dest(), file.name));
    await rm(join(state, `${file.name}.verified.json`));

    sim.resetStats();
    const result = await download(manifest, "--dest", dest());
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/verified .*; downloaded again after failing verification \(no part size \(tried 8 MiB, .*\) gives ICA's ETag .*: the bytes differ\)/);
    expect(gets()).toBe(3);
    expect(await etagOnDisk(join(dest(), file.name))).toBe(file.objectETag);
  });

  it("a file that fails verification twice is reported, and the run exits 1", async () => {
    const files = await sourceFiles();
    const manifest = await writeManifest(files.slice(0, 2), true, (f) => (f === files[0] ? "0123456789abcdef0123456789abcdef-3" : (f.objectETag ?? "")));
    const result = await download(manifest, "--dest", dest());
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`FAILED    ${files[0]?.name}  21.0 MB  no part size .* the bytes differ \\(downloaded twice`));
    expect(result.out).toMatch(/2 files in .*: 1 downloaded and verified, 0 already present, 1 failed/);
    await expect(readdir(dest())).resolves.not.toContain(files[0]?.name);
  });

  it("a file the manifest names but ICA does not have fails alone", async () => {
    const files = await sourceFiles();
    const manifest = await writeManifest([...files.slice(0, 1), { ...(files[0] as IcaData), id: "fil.doesnotexist", name: "gone.fastq.gz" }], false);
    const result = await download(manifest, "--dest", dest());
    expect(result.code).toBe(1);
    expect(result.out).toContain("FAILED    gone.fastq.gz  ICA GET");
    expect(result.out).toMatch(/1 downloaded and verified, 0 already present, 1 failed/);
  });

  it("a file the store will not hand out (archived) fails alone and leaves no placeholder behind", async () => {
    const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
    let archived: IcaData | undefined;
    // A FASTQ: its bytes are in the archive tier (the simulator stores written marker files outside it).
    for await (const file of ica.listData(sourceId(), { type: "FILE", status: ["ARCHIVED"] })) if (file.name.endsWith(".fastq.gz")) archived ??= file;
    if (!archived) throw new Error("the demo fixture has no archived FASTQ");
    const result = await download(await writeManifest([archived]), "--dest", dest());
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAILED .* the file is archived: ask the sender to unarchive it, then run again/);
    expect(await readdir(join(dest(), ".ica-download"))).toEqual([]);
  });

  it("SIGINT/SIGTERM stop the transfers at once, keep what was written and exit 1", async () => {
    const manifest = await writeManifest((await sourceFiles()).slice(0, 1));
    sim.setFaults({ rules: [{ route: objectRoute, rate: 1, kinds: ["slow"], slowMs: 1_000 }] });
    const context = capturedContext({ cwd: dir.path });
    const running = runCli(["download", manifest, "--dest", dest(), ...credentials()], context);
    await until(() => sim.stats().faulted > 0);
    context.shutdown("SIGINT");
    expect(await running).toBe(1);
    expect(context.err()).toContain("SIGINT received: stopped; the parts written are kept, run the same command again to continue");
    expect(await readdir(join(dest(), ".ica-download"))).toEqual(expect.arrayContaining([expect.stringMatching(/\.parts$/)]));
  });

  it.each([
    [["nope.csv"], "nope.csv is not a local file; to read it from ICA, name the project it is in"],
    [["manifest.csv", "--concurrency", "0"], "option '--concurrency <n>' argument '0' is invalid"],
    [["bad.csv"], "bad.csv has no file_name, file_path, data_id, project_id column"],
    [["manifest.csv", "--dest", "a-file"], "is a file, not a folder"],
  ])("refuses %j with one line and exit 2, fetching nothing", async (args, message) => {
    await writeManifest(await sourceFiles());
    await writeFile(join(dir.path, "bad.csv"), "name,size\nx,1\n");
    await writeFile(join(dir.path, "a-file"), "");
    sim.resetStats();
    const result = await download(...args, ...(args.includes("--dest") ? [] : ["--dest", dest()]));
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err.trim().split("\n")).toHaveLength(args.includes("--concurrency") ? 2 : 1);
    expect(sim.stats().byRoute[objectRoute]).toBeUndefined();
  });
});
