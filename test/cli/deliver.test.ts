import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IcaClient } from "../../src/ica/client.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { readManagedTable, statePaths } from "../../src/state/index.js";
import { runCliIn, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

/** "Delivered" means delivered, and what is delivered stays: guarantees 6 (issue 14) and 7 (issue 13), issue 16 item 1. */
let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];

async function start(fixture = namedFixture("demo")): Promise<void> {
  sim = await startCliSimulator(dir.path, { fixture });
  args = simulatorArgs(sim, dir.path);
}
beforeEach(async () => {
  dir = await tempDir("ica-orch-deliver-");
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

const cli = (argv: string[]) => runCliIn(dir.path, argv);

const state = () => statePaths(join(dir.path, "state"));
const analysis = (prefix: string) => {
  const found = sim.fixture.ica.analyses.find((a) => a.id.startsWith(prefix));
  if (!found) throw new Error(`demo lacks ${prefix}`);
  return found;
};
const managed = async () => (await readManagedTable(join(dir.path, "state", "analyses_managed_table.txt"))).rows.map((r) => r.analysisId.slice(0, 8));
const journal = async () => JSON.parse(await readFile(state().journal, "utf8")) as {
  delivered: Record<string, { deliveredAt: string }>;
  undeliverable: Record<string, { reason: string; detail: string }>;
};
const projectId = (name: string) => sim.fixture.ica.projects.find((p) => p.name === name)?.id ?? "";
const ica = () => new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });

async function sourceFile(name: string) {
  for await (const file of ica().listData(projectId("core-bssh-runs"), { filename: [name] })) return file;
  throw new Error(`demo lacks ${name}`);
}

describe("a PARTIAL manifest is not a delivery", () => {
  it("the upload is answered 200 but the file stays PARTIAL: not recorded, ica.upload-available named; after ack the next cycle looks again and records it", async () => {
    await start();
    const a1 = analysis("a0000001");
    sim.setFaults({ uploadsStayPartial: { names: [`${a1.reference}.download_manifest.csv`] } });
    const first = await cli(["run", ...args]);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/manifest \/fastq_manifests\/\S+ is PARTIAL, not AVAILABLE/);
    expect(first.err).toContain("assumption ica.upload-available contradicted");
    expect(await managed()).not.toContain("a0000001");
    expect((await journal()).delivered[a1.id]).toBeUndefined();

    sim.setFaults({ uploadsStayPartial: { names: [] } });
    // Manifest uploads stand stopped until the operator has read the evidence.
    const stopped = await cli(["run", ...args]);
    expect(stopped.out).toContain("manifest(s) not uploaded: assumption ica.upload-available contradicted");
    expect(stopped.out).toContain("ica-orchestrator ack ica.upload-available");
    expect(await managed()).not.toContain("a0000001");
    expect((await cli(["ack", "ica.upload-available", "--state_dir", join(dir.path, "state")])).code).toBe(0);
    const second = await cli(["run", ...args]);
    expect(second.code).toBe(0);
    expect(await managed()).toContain("a0000001");
    expect((await journal()).delivered[a1.id]).toBeDefined();
  });
});

describe("a selected FASTQ that vanishes before it is linked", () => {
  it("keeps the run out of the table, names the missing file and reports it every cycle", async () => {
    await start();
    const a1 = analysis("a0000001");
    const doomed = await sourceFile("M-101-002_S2_L002_R1_001.fastq.gz");
    sim.setFaults({ vanishBeforeLink: { dataIds: [doomed.id] } });
    const first = await cli(["run", ...args]);
    expect(first.code).toBe(1);
    expect(await managed()).not.toContain("a0000001");

    for (let i = 0; i < 2; i++) {
      const later = await cli(["run", ...args]);
      expect(later.code).toBe(1);
      expect(later.err).toContain(`${a1.reference}: not delivered: 1 selected FASTQ(s) gone from the source before they were linked (${doomed.path})`);
      expect(await managed()).not.toContain("a0000001");
    }
    expect((await journal()).undeliverable[a1.id]?.reason).toBe("missing-fastq");
    const plan = await cli(["plan", ...args, "--verbose"]);
    expect(plan.out).toMatch(/^ {2}skip: /m);
    expect(plan.out).toMatch(/^ {4}\S+ .*1 selected FASTQ\(s\) gone from the source; held/m);
  });
});

describe("deliver before you retire", () => {
  it("nothing delivered in a cycle is deleted in it; with min_days_after_delivery 0 the next cycle may", async () => {
    await start();
    const a12 = analysis("a0000012"); // past days_to_delete
    const first = await cli(["run", "--min_days_after_delivery", "0", ...args]);
    expect(first.code).toBe(0);
    expect(await managed()).toContain("a0000012");
    const audit = await readFile(state().audit, "utf8");
    expect(audit).not.toMatch(/"action":"delete"/);
    const second = await cli(["run", "--min_days_after_delivery", "0", ...args]);
    expect(second.code).toBe(0);
    expect(await readFile(state().audit, "utf8")).toContain(a12.reference);
    expect((await readFile(state().audit, "utf8")).match(/"action":"delete"/g)?.length).toBeGreaterThan(0);
  });

  it("keeps delivered data min_days_after_delivery (default 7), counted from the delivery time in the journal", async () => {
    await start();
    const a12 = analysis("a0000012");
    expect((await cli(["run", ...args])).code).toBe(0);
    const plan = await cli(["plan", ...args]);
    expect(plan.out).toMatch(/kept until \d{4}-\d\d-\d\d \(min_days_after_delivery 7\)/);
    expect((await cli(["run", ...args])).code).toBe(0);
    expect(await readFile(state().audit, "utf8")).not.toMatch(/"action":"delete"/);

    // Delivered eight days ago: the recipient had their week.
    const data = await journal();
    const entry = data.delivered[a12.id];
    if (!entry) throw new Error("no delivery time kept for a0000012");
    entry.deliveredAt = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await writeFile(state().journal, JSON.stringify(data));
    expect((await cli(["run", ...args])).code).toBe(0);
    expect(await readFile(state().audit, "utf8")).toMatch(/"action":"delete"/);
    // The managed table keeps its original two columns.
    expect((await readFile(join(dir.path, "state", "analyses_managed_table.txt"), "utf8")).split("\n")[0]).toBe("analysis_id_managed,run_id");
  });
});

describe("every FASTQ form", () => {
  /** The demo with a0000001's FASTQs DRAGEN ORA-compressed, as NovaSeq X writes them by default. */
  function oraDemo() {
    const fixture = namedFixture("demo");
    for (const a of fixture.ica.analyses.filter((x) => x.id.startsWith("a0000001"))) {
      a.files = a.files.map((f) => ({ ...f, path: f.path.replace(/\.fastq\.gz$/, ".fastq.ora") }));
    }
    return fixture;
  }

  it("delivers .fastq.ora FASTQs: linked, listed in the manifest, recorded", async () => {
    await start(oraDemo());
    const result = await cli(["run", ...args]);
    expect(result.code).toBe(0);
    expect(await managed()).toContain("a0000001");
    const a1 = analysis("a0000001");
    const manifest = await readFile(join(dir.path, "state", "manifests", `${a1.reference}.download_manifest.csv`), "utf8");
    const rows = manifest.trim().split("\n").slice(1);
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => /^M-[^,]+\.fastq\.ora,/.test(row))).toBe(true);
  });

  it("an analysis with no recognisable FASTQ is held, shown in plan, warned and never recorded", async () => {
    await start(oraDemo());
    const a1 = analysis("a0000001");
    const narrow = [...args, "--fastq_suffixes", ".fastq.gz"];
    const plan = await cli(["plan", ...narrow, "--verbose"]);
    expect(plan.out).toMatch(/^ {2}skip: /m);
    expect(plan.out).toMatch(/^ {4}\S+ .*no recognisable MGI FASTQ; held from archive and delete/m);
    const run = await cli(["run", ...narrow]);
    expect(run.code).toBe(0);
    // The log says how many and where; the cycle report and the journal have the analysis and why.
    expect(run.err).toMatch(/warn \[manageNew\] no MGI FASTQ matching fastq_pattern: held \(widen it or run mark-managed\): \d+ analys[ie]s, see reports\/\S+\.json/);
    expect((await journal()).undeliverable[a1.id]?.detail).toContain(`no MGI FASTQ in ${a1.reference} (saw no recognisable FASTQ at all)`);
    expect(await managed()).not.toContain("a0000001");
    expect((await journal()).undeliverable[a1.id]?.reason).toBe("no-fastq");
  });

  it("refuses a suffix without its dot (exit 2, one line)", async () => {
    await start();
    const result = await cli(["run", ...args, "--fastq_suffixes", "fastq"]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toMatch(/fastq_suffixes/);
  });
});

describe("mark-managed", () => {
  it("records a held analysis without delivering it, under the lock; the next cycle no longer holds it", async () => {
    await start();
    const a3 = analysis("a0000003"); // no MGI FASTQ in the demo
    expect((await cli(["run", ...args])).code).toBe(0);
    expect((await journal()).undeliverable[a3.id]?.reason).toBe("no-fastq");
    const status = await cli(["status", ...args]);
    expect(status.out).toContain(`analyses held for an operator (mark-managed or redeliver): 1`);
    expect(status.out).toContain(`${a3.id}  no-fastq since`);

    const marked = await cli(["mark-managed", a3.id, ...args]);
    expect(marked.code).toBe(0);
    expect(marked.out).toContain(`${a3.id},${a3.reference} recorded`);
    expect(await managed()).toContain("a0000003");
    expect((await journal()).undeliverable[a3.id]).toBeUndefined();
    expect((await cli(["mark-managed", a3.id, ...args])).out).toContain("is already in");

    const next = await cli(["run", ...args]);
    expect(next.err).not.toContain("no MGI FASTQ");
  });

  it("refuses something that is not an analysis id (exit 2, one line, nothing written)", async () => {
    await start();
    const result = await cli(["mark-managed", "20251116_LH00619_0978", ...args]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toContain("is not an ICA analysis id");
  });
});
