import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IcaClient } from "../../src/ica/client.js";
import type { Simulator } from "../../src/simulator/server.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { cycle, cycleSettings, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("resuming unfinished work", () => {
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

  const projectId = (name: string) => sim.fixture.ica.projects.find((p) => p.name === name)?.id ?? "";
  const a1 = () => sim.fixture.ica.analyses.find((a) => a.id.startsWith("a0000001"));
  const managedPrefixes = async (path: string) => (await readManagedTable(path)).rows.map((r) => r.analysisId.slice(0, 8));
  const manifestsOf = async (reference: string) =>
    (await collect(ica.listData(projectId("mgi-fastq-delivery"), { filePath: ["/fastq_manifests/"], type: "FILE" }))).filter((f) =>
      f.name.startsWith(reference),
    );

  it("a linking batch that fails for one file leaves the analysis unmanaged; the next cycle links only that file", async () => {
    const settings = cycleSettings(sim, state.dir);
    const [failing] = await collect(ica.listData(projectId("core-bssh-runs"), { filename: ["M-101-002_S2_L002_R1_001.fastq.gz"] }));
    if (!failing) throw new Error("demo lacks M-101-002_S2_L002_R1_001.fastq.gz");
    sim.setFaults({ linkItemFailures: { dataIds: [failing.id], rate: 0 } });

    const first = await cycle(sim, settings);
    expect(first.outcome).toBe("failures");
    expect(first.errors.some((e) => e.includes(a1()?.reference ?? "?") && e.includes(failing.id) && e.includes("FAILED"))).toBe(true);
    expect(await managedPrefixes(settings.managedTablePath)).not.toContain("a0000001");
    // Seven delivered; a0000003 (no MGI FASTQ) is held for an operator, not recorded.
    expect(await managedPrefixes(settings.managedTablePath)).toHaveLength(7);
    expect(await manifestsOf(a1()?.reference ?? "?")).toEqual([]);
    const journal = await openJournal(statePaths(state.dir).journal);
    expect(journal.data.managing[a1()?.id ?? ""]?.linkBatchIds).toHaveLength(1);

    sim.setFaults({ linkItemFailures: { dataIds: [], rate: 0 } });
    const second = await cycle(sim, settings);
    expect(second.outcome).toBe("ok");
    const links = second.actions.filter((a) => a.action === "link");
    expect(links.map((a) => a.ids)).toEqual([[failing.id]]);
    expect(await managedPrefixes(settings.managedTablePath)).toContain("a0000001");
    expect(await manifestsOf(a1()?.reference ?? "?")).toHaveLength(1);
    expect((await openJournal(statePaths(state.dir).journal)).data.managing).toEqual({});
  });

  it("an upload that died leaves the manifest PARTIAL; the next cycle uploads it in place, even without its journal", async () => {
    const settings = cycleSettings(sim, state.dir);
    // Every PUT to S3 fails: each manifest is created but its bytes never arrive.
    sim.setFaults({ rules: [{ route: "PUT /{Bucket}/{Key+}", rate: 1, kinds: ["500"] }] });
    const first = await cycle(sim, settings);
    expect(first.errors.filter((e) => e.includes("manifest not uploaded"))).toHaveLength(8);
    expect(await managedPrefixes(settings.managedTablePath)).toEqual([]);
    expect((await manifestsOf(a1()?.reference ?? "?")).map((f) => f.status)).toEqual(["PARTIAL"]);

    // As if the cycle had been killed before its journal was saved: only ICA remembers the manifests.
    await rm(statePaths(state.dir).journal);
    sim.setFaults({ rules: [] });
    const second = await cycle(sim, settings);
    expect(second.outcome).toBe("ok");
    expect(second.actions.filter((a) => a.action === "upload-manifest" && a.result === "ok")).toHaveLength(8);
    for (const analysis of sim.fixture.ica.analyses.filter((a) => /^a00000(01|02|09|10|11|12|13|15)/.test(a.id))) {
      expect((await manifestsOf(analysis.reference)).map((f) => f.status)).toEqual(["AVAILABLE"]);
    }
    expect(await managedPrefixes(settings.managedTablePath)).toHaveLength(8);
  });
});
