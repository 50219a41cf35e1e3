import { afterEach, describe, expect, it } from "vitest";
import { lowerBound, lowerBoundTerms } from "../../bench/lower-bound.js";
import { workloadFromFixture, type Phase } from "../../bench/workload.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Fixture } from "../../src/simulator/index.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycle, cycleSettings, simCalls, startCycleSimulator, tempStateDir } from "../orchestrator/cycle-harness.js";

/**
 * The bound against a real cycle on the demo fixture with two re-runs added: the workload must apply the
 * product's own rules (one delivery per run, holds on what is delivered, cheap path first), so the calls
 * those rules decide match the bound's terms route by route, and no cycle makes fewer calls than the bound.
 */
const rerunOf = (fixture: Fixture, id: string, rerunId: string, laterByDays: number): Fixture["ica"]["analyses"][number] => {
  const original = fixture.ica.analyses.find((a) => a.id === id);
  if (!original) throw new Error(`demo has no analysis ${id}`);
  const days = (d: number | null) => (d === null ? null : d - laterByDays);
  // The same run folder (the reference's prefix), created later: the delivery policy supersedes it. Its
  // outputs go to its own folder (`/ilmn-analyses/<reference>/` when none is given).
  const { outputFolderPath: _original, ...copy } = original;
  return {
    ...copy,
    id: rerunId,
    reference: original.reference.replace(id, rerunId),
    userReference: `${original.userReference}-rerun`,
    createdDaysAgo: original.createdDaysAgo - laterByDays,
    startDaysAgo: days(original.startDaysAgo),
    endDaysAgo: days(original.endDaysAgo),
  };
};

function demoWithReruns(): Fixture {
  const demo = namedFixture("demo");
  const reruns = [
    // Young: superseded and never read.
    rerunOf(demo, "a0000002-d2d7-4a88-9089-5ff11b7a1567", "c0000002-d2d7-4a88-9089-5ff11b7a1567", 0.5),
    // Aged and ICA-managed: superseded, so not held for delivery, and classified like any aged analysis.
    rerunOf(demo, "a0000010-0b3a-40bd-af28-dd9aec1212ae", "c0000010-0b3a-40bd-af28-dd9aec1212ae", 0.5),
  ];
  return { ...demo, ica: { ...demo.ica, analyses: [...demo.ica.analyses, ...reruns] } };
}

const route = (byRoute: Record<string, number>, ...keys: string[]): number => keys.reduce((n, key) => n + (byRoute[key] ?? 0), 0);
const ica = "/ica/rest/api/projects/{projectId}";

describe("the lower bound against a cycle on demo with re-runs", () => {
  let sim: Simulator | undefined;
  let removeState: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await sim?.stop();
    await removeState?.();
  });

  async function measured(phase: Exclude<Phase, "steady">) {
    sim = await startCycleSimulator({ fixture: demoWithReruns() });
    const loadedAtMs = sim.clock.now();
    const state = await tempStateDir();
    removeState = state.remove;
    const settings = cycleSettings(sim, state.dir, phase === "dry" ? { dryRun: true } : {});
    const workload = workloadFromFixture({ fixture: sim.fixture, phase, loadedAtMs, nowMs: sim.clock.now(), settings });
    sim.resetStats();
    const report = await cycle(sim, settings);
    return { report, calls: simCalls(sim), terms: lowerBoundTerms(workload), bound: lowerBound(workload), workload };
  }

  it("first cycle: outputs, manifests, lifecycle calls and their safety reads as the bound counts them", async () => {
    const { report, calls, terms, bound, workload } = await measured("first");
    expect(report.outcome).toBe("ok");
    const by = calls.byRoute;
    // Nine runs to deliver; the re-runs are superseded, not new.
    expect(workload.newAnalyses).toHaveLength(9);
    expect(route(by, `GET ${ica}/analyses/{analysisId}/outputs`)).toBe(terms.outputs);
    expect(route(by, `POST ${ica}/data:createFile`, `POST ${ica}/data/{dataId}:createUploadUrl`, "PUT /{Bucket}/{Key+}")).toBe(terms.manifests);
    // The aged re-run is archived; the delivered analyses are held.
    expect(route(by, `POST ${ica}/data/{dataId}:archive`, `POST ${ica}/data/{dataId}:unarchive`, `POST ${ica}/data/{dataId}:delete`)).toBe(terms.icaLifecycle);
    expect(terms.icaLifecycle).toBe(1);
    // Each manifest read back, each ICA action preceded by a read of its folder.
    expect(route(by, `GET ${ica}/data/{dataId}`)).toBe(terms.manifestReadBacks + terms.icaRereads);
    expect(route(by, "DELETE /v2/datasets/{id}", "DELETE /v2/runs/{id}")).toBe(workload.basespaceTrashItems);
    expect(route(by, `GET ${ica}/data`)).toBeGreaterThanOrEqual(terms.outputFolders + terms.fastqListing + terms.destinationCheck + terms.verification);
    expect(route(by, "GET /v2/datasets/{id}", "GET /v2/runs/{id}")).toBe(terms.trashRereads);
    // Each bulk archive or restore after a listing of its items. The bound lets one request carry datasets
    // and runs together (250 ids in all); the cycle sends each kind in requests of its own.
    expect(route(by, "POST /v2/archive", "POST /v2/restore")).toBeGreaterThanOrEqual(terms.bulkRereads);
    expect(route(by, "GET /v2/datasets", "GET /v2/projects/{id}/datasets", "GET /v2/runs")).toBeGreaterThanOrEqual(terms.datasetPages + terms.runPages + terms.bulkRereads);
    expect(calls.total).toBeGreaterThanOrEqual(bound);
  });

  it("dry run: reads what the first cycle reads, at least the bound", async () => {
    const { calls, terms, bound } = await measured("dry");
    expect(calls.mutating).toBe(0);
    expect(route(calls.byRoute, `GET ${ica}/analyses/{analysisId}/outputs`)).toBe(terms.outputs);
    expect(calls.total).toBeGreaterThanOrEqual(bound);
  });
});
