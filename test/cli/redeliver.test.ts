import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoTimings } from "../../src/cli/commands/demo.js";
import { IcaClient } from "../../src/ica/client.js";
import { buildRelaunchRequest } from "../../src/modules/launch/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { acquireStateLock, readManagedTable, statePaths } from "../../src/state/index.js";
import { runCliIn, tempDir } from "./helpers.js";
import { cliApiKey, simulatorArgs, startCliSimulator } from "./sim-setup.js";

/**
 * `redeliver <analysis>` through the real CLI and the simulator: one run, one delivery — on purpose
 * (issue 14 guarantee 2), "delivered" means delivered (issue 14 guarantee 6), and the command that
 * replaces hand-editing the table (issue 13 guarantee 7).
 */
let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];

beforeEach(async () => {
  dir = await tempDir("ica-orch-redeliver-");
  // A by-hand relaunch finishes at once: moving the simulator's clock would fail the cycle's clock check.
  sim = await startCliSimulator(dir.path, { timings: { ...demoTimings, icaAnalysisQueueMs: 0, icaAnalysisRunMs: 0 } });
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const cli = (argv: string[]) => runCliIn(dir.path, argv);
const state = () => statePaths(join(dir.path, "state"));
const tablePath = () => join(dir.path, "state", "analyses_managed_table.txt");
const tableRows = async () => (await readManagedTable(tablePath())).rows.map((r) => r.analysisId);
const journal = async () => JSON.parse(await readFile(state().journal, "utf8")) as {
  delivered: Record<string, { deliveredAt: string }>;
  undeliverable: Record<string, { reason: string }>;
  redeliveries: Record<string, { requestedAt: string; manifestNumber?: number }>;
};
const ica = () => new IcaClient({ serverUrl: sim.icaUrl, apiKey: cliApiKey });
const projectId = (name: string) => sim.fixture.ica.projects.find((p) => p.name === name)?.id ?? "";
const analysis = (prefix: string) => {
  const found = sim.fixture.ica.analyses.find((a) => a.id.startsWith(prefix));
  if (!found) throw new Error(`demo lacks ${prefix}`);
  return found;
};
const linkBatches = () => sim.stats().byRoute["POST /ica/rest/api/projects/{projectId}/dataLinkingBatch"] ?? 0;

/** The destination's files: FASTQ paths (each path once would mean no duplicates) and manifest names. */
async function destination() {
  const fastqs: string[] = [];
  const manifests: string[] = [];
  for await (const file of ica().listData(projectId(DESTINATION_PROJECT_NAME), { type: "FILE" })) {
    if (file.path.startsWith("/fastq_manifests/")) manifests.push(file.name);
    else if (/\.fastq\.(gz|ora)$/.test(file.name)) fastqs.push(file.path);
  }
  return { fastqs: fastqs.sort(), manifests: manifests.sort() };
}

/** A person relaunches a delivered analysis by hand under its own user reference; it SUCCEEDS at once. */
async function relaunch(prefix: string) {
  const source = projectId(SOURCE_PROJECT_NAME);
  const original = await ica().getAnalysis(source, analysis(prefix).id);
  return ica().createAnalysis(await buildRelaunchRequest(ica(), source, original.id, { userReference: original.userReference }), `by-hand-${prefix}`);
}

describe("redeliver a delivered analysis", () => {
  it("uploads a manifest of its own, links nothing twice, appends no second row, restarts the delivery time and clears the request", async () => {
    const a1 = analysis("a0000001");
    expect((await cli(["run", ...args])).code).toBe(0);
    const before = await destination();
    const batches = linkBatches();
    const firstDelivery = (await journal()).delivered[a1.id]?.deliveredAt ?? "";
    expect(before.manifests).toContain(`${a1.reference}.download_manifest.csv`);

    const asked = await cli(["redeliver", a1.id, ...args]);
    expect(asked.code).toBe(0);
    expect(asked.out).toContain(`redelivery of ${a1.id} requested`);
    expect((await readFile(state().audit, "utf8"))).toMatch(new RegExp(`"action":"redeliver","targets":\\{"ids":\\["${a1.id}"\\]`));
    expect((await cli(["status", ...args])).out).toContain(`redeliveries requested (redeliver), done by the next cycle: 1\n    ${a1.id}  requested `);
    const plan = await cli(["plan", ...args, "--verbose"]);
    expect(plan.out).toMatch(/^ {2}upload-manifest: /m);
    expect(plan.out).toMatch(/^ {4}\S+elivery-1\.download_manifest\.csv +\/fastq_manifests\/.*redelivery: a manifest of its own/m);
    expect(plan.out).toMatch(/redelivered on an operator's request \(redeliver\): its table row is already there/);

    const run = await cli(["run", ...args]);
    expect(run.code, run.err).toBe(0);
    const after = await destination();
    expect(after.manifests).toEqual([...before.manifests, `${a1.reference}.redelivery-1.download_manifest.csv`].sort());
    expect(after.fastqs).toEqual(before.fastqs);
    expect(linkBatches()).toBe(batches);
    expect((await tableRows()).filter((id) => id === a1.id)).toHaveLength(1);
    const data = await journal();
    expect(data.redeliveries).toEqual({});
    expect(Date.parse(data.delivered[a1.id]?.deliveredAt ?? "")).toBeGreaterThan(Date.parse(firstDelivery));
    const local = await readFile(join(state().root, "manifests", `${a1.reference}.redelivery-1.download_manifest.csv`), "utf8");
    expect(local).toBe(await readFile(join(state().root, "manifests", `${a1.reference}.download_manifest.csv`), "utf8"));

    // A second request for the same run: the next number, still nothing overwritten.
    expect((await cli(["redeliver", a1.id, ...args])).code).toBe(0);
    expect((await cli(["run", ...args])).code).toBe(0);
    expect((await destination()).manifests).toContain(`${a1.reference}.redelivery-2.download_manifest.csv`);
    expect((await cli(["status", ...args])).out).toContain("redeliveries requested (redeliver), done by the next cycle: 0");
  });
});

describe("redeliver a superseded analysis", () => {
  it("a later SUCCEEDED analysis of a delivered run is delivered under the redelivery manifest name; plan and report say so", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const first = analysis("a0000001");
    const again = await relaunch("a0000001");
    const superseded = await cli(["plan", ...args, "--verbose"]);
    expect(superseded.out).toContain(`redeliver ${again.id} delivers this one instead`);
    const before = await destination();

    expect((await cli(["redeliver", again.id, ...args])).code).toBe(0);
    const plan = await cli(["plan", ...args, "--verbose"]);
    expect(plan.out).toMatch(new RegExp(`^ {4}${again.id} +${again.reference.slice(0, 20)}.*8 of 8 MGI FASTQ\\(s\\) not linked`, "m"));
    expect(plan.out).toMatch(/^ {4}\S+ .*redelivery: a manifest of its own/m);
    expect(plan.out).not.toMatch(new RegExp(`^ {4}${again.id} .*superseded, not delivered`, "m"));

    const run = await cli(["run", ...args]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/manageNew +.*redelivered 1/);
    const after = await destination();
    expect(after.manifests).toEqual([...before.manifests, `${first.reference}.redelivery-1.download_manifest.csv`].sort());
    // The relaunch's FASTQs live under its own output folder: added beside the first delivery's, none twice.
    expect(after.fastqs).toHaveLength(before.fastqs.length + 8);
    expect(new Set(after.fastqs).size).toBe(after.fastqs.length);
    const rows = await tableRows();
    expect(rows).toContain(again.id);
    expect(rows).toContain(first.id);
    expect((await journal()).redeliveries).toEqual({});

    // Delivered now: no longer superseded, nothing more to do for the run.
    const next = await cli(["plan", ...args]);
    expect(next.out).not.toContain(again.reference.slice(0, 20));
  });

  it("does not link while the destination holds other data at one of its FASTQ paths: no path ever holds two files", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const again = await relaunch("a0000001");
    let taken: { name: string; path: string } | undefined;
    for await (const file of ica().listData(projectId(SOURCE_PROJECT_NAME), { filePath: [`/ilmn-analyses/${again.reference}`], filename: ["M-101-001_S1_L001_R1_001.fastq.gz"] })) taken = file;
    if (!taken) throw new Error("the relaunch lacks M-101-001_S1_L001_R1_001.fastq.gz");
    // Someone put a file of their own at that path in the destination.
    await ica().createFile(projectId(DESTINATION_PROJECT_NAME), { name: taken.name, folderPath: taken.path.slice(0, -taken.name.length) }, "by-hand-file");
    expect((await cli(["redeliver", again.id, ...args])).code).toBe(0);
    const batches = linkBatches();

    const plan = await cli(["plan", ...args, "--verbose"]);
    expect(plan.out).toMatch(/^ {4}\S+ .*1 FASTQ path\(s\) taken in the destination by other data; not linked/m);
    const run = await cli(["run", ...args]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${again.reference}: not delivered: the destination holds other data at 1 of its FASTQ path(s) (${taken.path})`);
    expect(linkBatches()).toBe(batches);
    expect(await tableRows()).not.toContain(again.id);
    expect(Object.keys((await journal()).redeliveries)).toEqual([again.id]);
  });
});

describe("redeliver an analysis held because a selected FASTQ vanished", () => {
  it("delivers what remains, names what is left out, and records it", async () => {
    const a1 = analysis("a0000001");
    let doomed: { id: string; path: string } | undefined;
    for await (const file of ica().listData(projectId(SOURCE_PROJECT_NAME), { filename: ["M-101-002_S2_L002_R1_001.fastq.gz"] })) doomed = file;
    if (!doomed) throw new Error("demo lacks M-101-002_S2_L002_R1_001.fastq.gz");
    sim.setFaults({ vanishBeforeLink: { dataIds: [doomed.id] } });
    expect((await cli(["run", ...args])).code).toBe(1);
    const held = await cli(["run", ...args]);
    expect(held.err).toContain(`run redeliver ${a1.id} to deliver what remains`);
    expect((await journal()).undeliverable[a1.id]?.reason).toBe("missing-fastq");

    expect((await cli(["redeliver", a1.id, ...args])).code).toBe(0);
    const plan = await cli(["plan", ...args]);
    expect(plan.out).toContain(`${a1.reference}: redelivery without 1 selected FASTQ(s) gone from the source (${doomed.path}); the manifest lists what remains`);
    const run = await cli(["run", ...args]);
    expect(run.code, run.err).toBe(0);
    // The log says how many and where; the plan above and the cycle report name the file.
    expect(run.err).toMatch(/warn \[manageNew\] redelivered without the selected FASTQs gone from the source: 1 analysis, see reports\/\S+\.json/);
    expect(await tableRows()).toContain(a1.id);
    const data = await journal();
    expect(data.undeliverable[a1.id]).toBeUndefined();
    expect(data.delivered[a1.id]).toBeDefined();
    expect(data.redeliveries).toEqual({});
    // Never delivered before: the run's first manifest keeps the original name, and lists the 7 that remain.
    const manifest = await readFile(join(state().root, "manifests", `${a1.reference}.download_manifest.csv`), "utf8");
    const rows = manifest.trim().split("\n").slice(1);
    expect(rows).toHaveLength(7);
    expect(manifest).not.toContain(doomed.id);
    expect((await destination()).manifests).toContain(`${a1.reference}.download_manifest.csv`);
  });
});

describe("redeliver refuses and keeps", () => {
  it("refuses something that is not an analysis id (exit 2, one line, nothing written)", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const journalBefore = await readFile(state().journal, "utf8");
    const auditBefore = await readFile(state().audit, "utf8");
    const result = await cli(["redeliver", "20251116_LH00619_0978", ...args]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toContain(`redeliver: "20251116_LH00619_0978" is not an ICA analysis id`);
    expect(await readFile(state().journal, "utf8")).toBe(journalBefore);
    expect(await readFile(state().audit, "utf8")).toBe(auditBefore);
  });

  it("waits for a cycle holding the lock (exit 2, nothing recorded); mark-managed drops a pending request", async () => {
    const a1 = analysis("a0000001");
    expect((await cli(["run", ...args])).code).toBe(0);
    const lock = await acquireStateLock(state().root);
    const refused = await cli(["redeliver", a1.id, ...args]).finally(() => lock.release());
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("redeliver: a cycle holds the state lock");
    expect((await journal()).redeliveries).toEqual({});

    expect((await cli(["redeliver", a1.id, ...args])).code).toBe(0);
    expect((await cli(["mark-managed", a1.id, ...args])).out).toContain("is already in");
    expect((await journal()).redeliveries).toEqual({});
  });

  it("a redelivery whose linking fails keeps the request; the next cycle delivers it", async () => {
    expect((await cli(["run", ...args])).code).toBe(0);
    const again = await relaunch("a0000001");
    expect((await cli(["redeliver", again.id, ...args])).code).toBe(0);
    // The relaunch's outputs are not in the fixture: found through ICA.
    const source = projectId(SOURCE_PROJECT_NAME);
    const outputs: string[] = [];
    for await (const file of ica().listData(source, { filePath: [`/ilmn-analyses/${again.reference}`], type: "FILE" })) outputs.push(file.id);
    expect(outputs.length).toBeGreaterThan(0);
    sim.setFaults({ linkItemFailures: { dataIds: outputs, rate: 0 } });

    const failed = await cli(["run", ...args]);
    expect(failed.code).toBe(1);
    expect(await tableRows()).not.toContain(again.id);
    expect(Object.keys((await journal()).redeliveries)).toEqual([again.id]);

    sim.setFaults({ linkItemFailures: { dataIds: [], rate: 0 } });
    const next = await cli(["run", ...args]);
    expect(next.code, next.err).toBe(0);
    expect(await tableRows()).toContain(again.id);
    expect((await journal()).redeliveries).toEqual({});
  });
});
