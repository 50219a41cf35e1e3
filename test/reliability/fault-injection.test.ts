import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { IcaClient } from "../../src/ica/client.js";
import { SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/index.js";
import { duplicates, Scenario, type EndState } from "./scenario.js";
import { findLeaks } from "./secrets.js";
import type { RequestLogEntry } from "../../src/simulator/request-log.js";

const listingRoute = "POST /ica/rest/api/projects/{projectId}/analysis:search";
const linkingPath = /^\/ica\/rest\/api\/projects\/[^/]+\/dataLinkingBatch$/;

/** The whole request log so far. */
const requestLog = (sim: Simulator): RequestLogEntry[] => sim.requests(0).requests;

let reference: EndState;
const open: Scenario[] = [];

async function scenario(): Promise<Scenario> {
  const s = await Scenario.start();
  open.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

beforeAll(async () => {
  const s = await Scenario.start();
  try {
    await s.converge();
    reference = await s.endState();
  } finally {
    await s.close();
  }
  // The demo's first cycle delivers the 8 analyses with MGI FASTQs (one manifest each); a0000003 is held.
  expect(reference.table).toHaveLength(8);
  expect(Object.keys(reference.localManifests)).toHaveLength(8);
});

describe("with faults injected by the simulator", () => {
  for (const seed of [20_251_121, 7]) it(`20 % of requests failing (429/500/502/503/reset), some slower than the timeout (fault seed ${seed}): the cycles end in the fault-free state`, async () => {
    const s = await scenario();
    s.sim.setFaults({
      seed,
      rules: [
        // A restore is billed: one that fails ambiguously (reset, 5xx) is on record and is not asked for
        // again for days (docs/safety.md, 3: no blind replay of a billed call), so these cycles could not converge
        // on it. This rule always wins for the restore route and answers it normally (a 0 ms "slow");
        // kill-resume.test.ts covers a restore whose answer is lost.
        { route: "POST /v2/restore", rate: 1, kinds: ["slow"], slowMs: 0 },
        // Held longer than the client's timeout (1 s); the handler then runs anyway, as a slow real server would.
        { route: "*", rate: 0.03, kinds: ["slow"], slowMs: 1_300, limit: 2 },
        // Retry-After: 0 keeps the test fast; obeying Retry-After is what the 429 storm test checks.
        { route: "*", rate: 0.2, kinds: ["429", "500", "502", "503", "reset"], retryAfterSeconds: 0 },
      ],
    });
    const settings = s.settings({ requestTimeoutMs: 1_000 });

    // Faults stay on. A fault that outlasts the retry budget, or hits a request that is not safe to
    // repeat (a POST that may have run), fails its item for this cycle; the next cycle finishes it.
    // Asserted: within 8 cycles one ends "ok" and changes nothing, and then the simulator's state
    // digest, the managed table, the manifests (local and uploaded) and the journal's pending work are
    // exactly those of a fault-free run.
    const reports = await s.converge(settings, 8);
    const log = requestLog(s.sim);
    const kinds = new Set(log.map((entry) => entry.fault).filter((kind) => kind !== null));
    expect([...kinds].sort()).toEqual(["429", "500", "502", "503", "reset", "slow"]);
    expect(log.filter((e) => e.fault !== null).length / log.length).toBeGreaterThan(0.12);

    const end = await s.endState(settings);
    expect(end).toEqual(reference);
    expect(duplicates(end.destinationFiles)).toEqual([]);
    const manifests = end.destinationFiles.filter((path) => path.startsWith("/fastq_manifests/"));
    expect(manifests.map((path) => path.slice("/fastq_manifests/".length)).sort()).toEqual(Object.keys(reference.localManifests));
    expect(end.tableLines).toBe(reference.table.length);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(s.secrets.issuedCount()).toBeGreaterThan(0);
    expect(findLeaks(await s.outputs({ reports: JSON.stringify(reports) }), s.secrets)).toEqual([]);
  }, 60_000);

  it("a linking batch with failed items leaves its analysis unmanaged; the next cycle links only the missing items", async () => {
    const s = await scenario();
    const target = await newAnalysisFastqs(s.sim);
    const failing = target.fastqIds.slice(0, 2);
    s.sim.setFaults({ linkItemFailures: { dataIds: failing } });

    const first = await s.cycle();
    expect(first.outcome).toBe("failures");
    expect(first.errors.concat(first.warnings).some((m) => m.includes(target.reference))).toBe(true);
    const afterFirst = await s.endState();
    expect(afterFirst.table).toEqual(reference.table.filter((row) => !row.startsWith(`${target.id},`)));
    expect(afterFirst.destinationFiles.some((path) => path.includes(target.reference) && path.startsWith("/fastq_manifests/"))).toBe(false);

    s.sim.setFaults({ linkItemFailures: { dataIds: [] } });
    const seen = s.proxy.requests.length;
    const second = await s.cycle();
    expect(second.outcome).toBe("ok");
    const batches = s.proxy.requests.slice(seen).filter((r) => r.method === "POST" && linkingPath.test(r.path));
    const relinked = batches.flatMap((r) => (JSON.parse(r.body) as { items: { dataId: string }[] }).items.map((i) => i.dataId));
    expect(relinked.sort()).toEqual([...failing].sort());

    await s.converge();
    expect(await s.endState()).toEqual(reference);
    expect(findLeaks(await s.outputs({ reports: JSON.stringify([first, second]) }), s.secrets)).toEqual([]);
  });

  it("a sustained 429 storm: the client waits Retry-After between attempts, gives up after its budget with one clear error, and the next cycle does the work", async () => {
    const s = await scenario();
    s.sim.setFaults({ rules: [{ route: listingRoute, rate: 1, kinds: ["429"], retryAfterSeconds: 1 }] });
    const stormed = await s.cycle(s.settings(), { retry: { baseDelayMs: 5, retries: 2 } });

    const attempts = requestLog(s.sim).filter((entry) => entry.route === listingRoute);
    expect(attempts.map((a) => a.status)).toEqual([429, 429, 429]);
    const gaps = attempts.slice(1).map((a, i) => a.realTimeMs - (attempts[i] as RequestLogEntry).realTimeMs);
    // Retry-After: 1 is obeyed exactly (a little slack for the timer), not replaced by the 5 ms backoff.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(980);
    for (const gap of gaps) expect(gap).toBeLessThan(2_500);

    expect(stormed.outcome).toBe("failures");
    const listingErrors = stormed.errors.filter((e) => e.includes("analysis:search"));
    expect(listingErrors).toHaveLength(1);
    expect(listingErrors[0]).toMatch(/HTTP 429.*after 3 attempts \(retry budget exhausted\)/);
    expect(listingErrors[0]).not.toMatch(/\n/);
    // Without the listing nothing is linked, archived or deleted.
    expect(s.sim.stats().mutating).toBe(0);

    s.sim.setFaults({ rules: [] });
    await s.converge();
    expect(await s.endState()).toEqual(reference);
    expect(findLeaks(await s.outputs({ reports: JSON.stringify(stormed) }), s.secrets)).toEqual([]);
  }, 30_000);
});

/** A new SUCCEEDED BCLConvert analysis of the demo with several MGI FASTQs, and their data ids. */
async function newAnalysisFastqs(sim: Simulator): Promise<{ id: string; reference: string; fastqIds: string[] }> {
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
  const source = sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME);
  const candidates = sim.fixture.ica.analyses.filter(
    (a) => a.projectId === source?.id && a.status === "SUCCEEDED" && /bcl.*convert/i.test(a.pipelineCode),
  );
  for (const analysis of candidates) {
    const folder = analysis.outputFolderPath ?? `/ilmn-analyses/${analysis.reference}/`;
    const fastqIds: string[] = [];
    for await (const item of ica.listData(analysis.projectId, { filePath: [folder], type: "FILE" })) {
      if (/^M/.test(item.name) && item.name.endsWith(".fastq.gz")) fastqIds.push(item.id);
    }
    if (fastqIds.length >= 3 && reference.table.some((row) => row.startsWith(`${analysis.id},`))) {
      return { id: analysis.id, reference: analysis.reference, fastqIds };
    }
  }
  throw new Error("the demo fixture has no new BCLConvert analysis with three MGI FASTQs");
}
