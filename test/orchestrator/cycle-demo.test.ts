import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IcaClient } from "../../src/ica/client.js";
import type { IcaData } from "../../src/ica/schemas.js";
import { renderCycleReport, renderPlanTable, type CycleReport } from "../../src/orchestrator/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import {
  cycle,
  cycleSettings,
  LogSink,
  simCalls,
  startCycleSimulator,
  tempStateDir,
  testApiKey,
  testToken,
} from "./cycle-harness.js";

/** MGI FASTQs per analysis, from the demo table in docs/simulator.md (section fixtures). */
const mgiFastqsByAnalysis: Record<string, number> = {
  a0000001: 8,
  a0000002: 3,
  a0000009: 2,
  a0000010: 4,
  a0000011: 2,
  a0000012: 2,
  a0000013: 2,
  a0000015: 2,
};
/**
 * SUCCEEDED BCLConvert analyses of the source delivered on an empty table; a0000003 has no MGI FASTQ,
 * so it is held for an operator, not recorded.
 */
const managedPrefixes = ["a0000001", "a0000002", "a0000009", "a0000010", "a0000011", "a0000012", "a0000013", "a0000015"];

/** The listing calls a cycle with nothing new and nothing pending makes on demo, and nothing else. */
const steadyCalls = {
  "GET /ica/rest/api/projects": 2,
  "POST /ica/rest/api/projects/{projectId}/analysis:search": 1,
  "GET /v1pre3/oauthv2/token/current": 1,
  "GET /v1pre3/users/current/projects": 1,
  // The two named projects' datasets come from one listing of all datasets, oldest first.
  "GET /v2/datasets": 1,
  "GET /v2/runs": 1,
  "GET /v2/trash": 1,
};
/** a0000003 (no MGI FASTQ) waits for an operator; a cycle that looks at its outputs again makes these calls. */
const heldCalls = {
  "GET /ica/rest/api/projects/{projectId}/analyses/{analysisId}/outputs": 1,
  "GET /ica/rest/api/projects/{projectId}/data": 2,
};

const prefixOf = (path: string): string => /-(a\d{7})-/.exec(path)?.[1] ?? "?";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function linkedPaths(report: CycleReport): string[] {
  return report.actions.filter((a) => a.action === "link" && a.result === "ok").flatMap((a) => a.paths ?? []);
}

/** Everything the cycle can write: the secrets must appear in none of it. */
async function stateText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), "utf8")));
  return texts.join("\n");
}

describe("a cycle on the demo fixture", () => {
  let sim: Simulator;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  let ica: IcaClient;

  beforeEach(async () => {
    sim = await startCycleSimulator();
    state = await tempStateDir();
    ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  });
  afterEach(async () => {
    await sim.stop();
    await state.remove();
  });

  const demoAnalysis = (prefix: string) => {
    const analysis = sim.fixture.ica.analyses.find((a) => a.id.startsWith(prefix));
    if (!analysis) throw new Error(`demo has no analysis ${prefix}`);
    return analysis;
  };
  const expectedMgiPaths = (prefix: string): string[] => {
    const analysis = demoAnalysis(prefix);
    return analysis.files
      .filter((f) => /(^|\/)M-[^/]*\.fastq\.gz$/.test(f.path))
      .map((f) => `${analysis.outputFolderPath ?? `/ilmn-analyses/${analysis.reference}/`}${f.path}`)
      .sort();
  };
  const projectIds = () => {
    const id = (name: string) => sim.fixture.ica.projects.find((p) => p.name === name)?.id ?? "";
    return { source: id("core-bssh-runs"), destination: id("mgi-fastq-delivery") };
  };

  it("links exactly the MGI FASTQs of the new analyses, uploads their manifests and records them", async () => {
    const sink = new LogSink();
    const report = await cycle(sim, cycleSettings(sim, state.dir), sink);
    expect(report.outcome).toBe("ok");

    const linked = linkedPaths(report);
    const perAnalysis: Record<string, number> = {};
    for (const path of linked) perAnalysis[prefixOf(path)] = (perAnalysis[prefixOf(path)] ?? 0) + 1;
    expect(perAnalysis).toEqual(mgiFastqsByAnalysis);
    expect(linked.sort()).toEqual(Object.keys(mgiFastqsByAnalysis).flatMap(expectedMgiPaths).sort());

    const { destination } = projectIds();
    const destFiles = await collect(ica.listData(destination, { type: "FILE" }));
    const manifests = destFiles.filter((f) => f.path.startsWith("/fastq_manifests/"));
    // a0000012 is past days_to_delete, but what a cycle delivers stays for the recipient: nothing delivered is deleted.
    const stillLinked = Object.keys(mgiFastqsByAnalysis);
    expect(destFiles.filter((f) => !manifests.includes(f)).map((f) => f.path).sort()).toEqual(stillLinked.flatMap(expectedMgiPaths).sort());
    const withManifest = Object.keys(mgiFastqsByAnalysis);
    expect(manifests.map((f) => f.name).sort()).toEqual(
      withManifest.map((p) => `${demoAnalysis(p).reference}.download_manifest.csv`).sort(),
    );
    expect(manifests.every((f) => f.status === "AVAILABLE")).toBe(true);
    for (const prefix of withManifest) {
      const analysis = demoAnalysis(prefix);
      const file = manifests.find((f) => f.name.startsWith(analysis.reference)) as IcaData;
      const uploaded = (await ica.downloadFromUrl(await ica.createDownloadUrl(destination, file.id))).toString("utf8");
      const local = await readFile(join(state.dir, "manifests", file.name), "utf8");
      expect(uploaded).toBe(local);
      const rows = parse(uploaded, { columns: true }) as Array<Record<string, string>>;
      expect(uploaded.split("\n")[0]).toBe(
        "file_name,file_path,data_id,project_id,size_bytes,checksum,checksum_type,available_until,sample,lane,read",
      );
      expect(rows.map((r) => r.file_path)).toEqual(expectedMgiPaths(prefix));
      expect(rows.every((r) => r.project_id === destination && r.file_path?.endsWith(`/${r.file_name}`))).toBe(true);
      // Size and checksum are what ICA lists for the linked file (the simulator's objectETag is what S3 serves).
      for (const row of rows) {
        const listed = destFiles.find((f) => f.id === row.data_id) as IcaData;
        expect(row).toMatchObject({ size_bytes: String(listed.sizeBytes), checksum: listed.objectETag });
        expect(row.checksum_type).toBe(/^[0-9a-f]{32}$/.test(row.checksum ?? "") ? "md5" : "s3-multipart-etag");
        expect(row.available_until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        // Kept at least min_days_after_delivery from today, however old the analysis.
        expect((row.available_until ?? "") > report.startedAt.slice(0, 10)).toBe(true);
        expect(`${row.sample}_S`).toBe(row.file_name?.slice(0, (row.sample ?? "").length + 2));
        expect(row.read).toMatch(/^R[12]$/);
      }
    }

    const table = await readManagedTable(cycleSettings(sim, state.dir).managedTablePath);
    expect(table.rows.map((r) => r.analysisId.slice(0, 8)).sort()).toEqual(managedPrefixes);
    expect(table.rows.every((r) => r.runId === demoAnalysis(r.analysisId.slice(0, 8)).reference)).toBe(true);
    expect(report.warnings.some((w) => w.includes("no MGI FASTQ") && w.includes("NA24143_S1_L001_R1_001.fastq.gz"))).toBe(true);

    const journal = await openJournal(statePaths(state.dir).journal);
    expect(journal.data.managing).toEqual({});
    expect(renderCycleReport(report)).toContain("manageNew");

    // Secrets reach no log line, report, journal, audit line or manifest.
    const written = `${sink.text}\n${JSON.stringify(report)}\n${await stateText(state.dir)}`;
    for (const secret of [testApiKey, testToken]) expect(written).not.toContain(secret);
    expect(written).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/);
  });

  it("acts on aged data as the demo table says, and converges to a cycle that only lists", async () => {
    // 0 days after delivery: only the cycle that delivers holds the data back.
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 0 });
    const first = await cycle(sim, settings);
    const acted = (report: CycleReport, action: string) =>
      report.actions.filter((a) => a.step === "icaLifecycle" && a.action === action && a.result === "ok").flatMap((a) => a.paths ?? []);
    // Everything aged here was delivered by this very cycle: nothing is archived or deleted yet.
    expect(first.actions.filter((a) => a.step === "icaLifecycle")).toEqual([]);
    // The analyses nobody can tell the manager of are reported, and nothing of theirs is touched.
    expect(first.warnings.filter((w) => w.includes("cannot determine")).map(prefixOf).sort()).toEqual(["a0000015", "a0000016"]);

    const second = await cycle(sim, settings);
    expect(acted(second, "archive").map(prefixOf)).toEqual(["a0000010"]);
    expect(acted(second, "delete").map(prefixOf)).toEqual(["a0000012"]);
    // Cheap path first: a0000013's folder is archived, and ICA refuses to delete it as it is; only that
    // answer makes the next cycle pay for its unarchive.
    const refused = second.actions.filter((a) => a.step === "icaLifecycle" && a.result === "failed");
    expect(refused.map((a) => `${a.action} ${prefixOf(a.paths?.[0] ?? "")}`)).toEqual(["delete a0000013"]);
    expect(second.outcome).toBe("ok");
    const third = await cycle(sim, settings);
    expect(acted(third, "unarchive").map(prefixOf)).toEqual(["a0000013"]);
    const fourth = await cycle(sim, settings);
    expect(acted(fourth, "delete").map(prefixOf)).toEqual(["a0000013"]);

    const digest = sim.state().digest;
    sim.resetStats();
    const steady = await cycle(sim, settings);
    expect(steady.outcome).toBe("ok");
    expect(steady.actions).toEqual([]);
    expect(sim.state().digest).toBe(digest);
    // a0000003, held for having no MGI FASTQ, rests: its outputs are not listed again within a day.
    expect(simCalls(sim)).toEqual({ total: 8, mutating: 0, byRoute: steadyCalls });
    expect(steady.apiCalls.total).toBe(8);
    const held = steady.plan.steps.flatMap((s) => s.items).filter((i) => i.step === "manageNew" && i.reason.startsWith("no recognisable MGI FASTQ"));
    expect(held.map((i) => [prefixOf(i.target.name ?? ""), i.reason.replace(/\(.*\)/, "(…)")])).toEqual([
      ["a0000003", "no recognisable MGI FASTQ when last looked at (…); held from archive and delete until mark-managed or redeliver; looked at again daily or when fastq_pattern or fastq_suffixes change"],
    ]);

    // Other FASTQ settings make it looked at again at once, and so does going back to the earlier ones; then it
    // rests again (a day without a look: test/orchestrator/resting-holds.test.ts).
    sim.resetStats();
    await cycle(sim, { ...settings, fastqSuffixes: [...settings.fastqSuffixes, ".fq.bz2"] });
    expect(simCalls(sim)).toEqual({ total: 11, mutating: 0, byRoute: { ...steadyCalls, ...heldCalls } });
    sim.resetStats();
    await cycle(sim, settings);
    expect(simCalls(sim)).toEqual({ total: 11, mutating: 0, byRoute: { ...steadyCalls, ...heldCalls } });
    sim.resetStats();
    await cycle(sim, settings);
    expect(simCalls(sim).total).toBe(8);
  });

  it("changes nothing on a second cycle while unarchive and restores are still running", async () => {
    await sim.stop();
    sim = await startCycleSimulator({ timings: { icaLinkBatchMs: 0, icaArchiveMs: 0, icaDeleteMs: 0, icaUnarchiveMs: 86_400_000, bsRestoreMs: 86_400_000 } });
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 0 });
    await cycle(sim, settings); // delivers
    await cycle(sim, settings); // archives, deletes, tries to delete and trash archived data as it is: refused
    await cycle(sim, settings); // asks to unarchive and to restore
    const digest = sim.state().digest;
    sim.resetStats();
    const second = await cycle(sim, settings);
    expect(second.actions).toEqual([]);
    expect(sim.state().digest).toBe(digest);
    // The listings (the held analysis rests), plus one read of the folder whose unarchive is pending (a0000013);
    // whether the deleted folder's links left the destination was checked, once, by the cycle that asked.
    const pending = { ...steadyCalls, "GET /ica/rest/api/projects/{projectId}/data": 1 };
    expect(simCalls(sim)).toEqual({ total: 9, mutating: 0, byRoute: pending });
    const waits = second.plan.steps.flatMap((s) => s.items).filter((i) => i.action === "wait" && i.step !== "manageNew");
    expect(waits.map((i) => i.target.kind).sort()).toEqual(["bs-dataset", "bs-run", "ica-folder"]);
    // Never made again.
    sim.resetStats();
    await cycle(sim, settings);
    expect(simCalls(sim)).toEqual({ total: 9, mutating: 0, byRoute: pending });
  });

  it("dry run: prints the plan, changes nothing anywhere and writes nothing in the state directory", async () => {
    const stateDir = join(state.dir, "not-created");
    const before = sim.state().digest;
    const report = await cycle(sim, cycleSettings(sim, stateDir, { dryRun: true }));
    expect(report.dryRun).toBe(true);
    expect(report.reportPath).toBeUndefined();
    expect(report.actions).toEqual([]);
    expect(sim.state().digest).toBe(before);
    expect(sim.stats().mutating).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
    const items = report.plan.steps.flatMap((s) => s.items);
    const links = items.filter((i) => i.action === "link");
    expect(links).toHaveLength(8); // one per analysis with MGI FASTQs to link…
    expect(links.reduce((n, i) => n + Number(/^(\d+) of /.exec(i.reason)?.[1]), 0)).toBe(25); // …25 files in all
    expect(items.filter((i) => i.action === "upload-manifest")).toHaveLength(8);
    // a0000012 is past days_to_delete, but this cycle would deliver it: held, not deleted.
    expect(items.filter((i) => i.action === "delete")).toEqual([]);
    expect(items.some((i) => i.action === "wait" && prefixOf(i.target.path ?? "") === "a0000012" && i.reason.includes("delivered this cycle"))).toBe(true);
    expect(renderPlanTable(report.plan)).toContain("upload-manifest 8");

    // With state from real cycles (delivered, then unarchived): the dry run leaves every file in it as it was.
    const settings = cycleSettings(sim, state.dir, { minDaysAfterDelivery: 0 });
    await cycle(sim, settings);
    await cycle(sim, settings);
    await cycle(sim, settings);
    await writeFile(join(state.dir, "marker"), "");
    const files = await stateText(state.dir);
    const listing = await readdir(state.dir, { recursive: true });
    const digest = sim.state().digest;
    sim.resetStats();
    const dry = await cycle(sim, { ...settings, dryRun: true });
    expect(dry.plan.steps.flatMap((s) => s.items).filter((i) => i.action === "delete").map((i) => prefixOf(i.target.path ?? ""))).toEqual([
      "a0000013",
    ]);
    expect(sim.stats().mutating).toBe(0);
    expect(sim.state().digest).toBe(digest);
    expect(await stateText(state.dir)).toBe(files);
    expect(await readdir(state.dir, { recursive: true })).toEqual(listing);
  });
});
