// Issue 15's matrix: the same small fixture, several cycles with the clock moved past the windows, under
// each alternative reading of every ledger entry the simulator can play, one at a time.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statePaths } from "../../src/state/index.js";
import { ledger } from "../../src/assumptions/index.js";
import { ledgerStateFile } from "../../src/assumptions/ledger-state.js";
import { renderCycleReport, type CycleReport } from "../../src/orchestrator/index.js";
import { assumptionIds, assumptionSwitches, type AssumptionId } from "../../src/simulator/assumption-switches.js";
import type { Simulator } from "../../src/simulator/server.js";
import { cycle, cycleSettings, LogSink, startCycleSimulator, tempStateDir } from "../orchestrator/cycle-harness.js";
import { DESTINATION, agesFixture, analysisId, datasetId, referenceOf } from "../orchestrator/lifecycle-fixture.js";
import { MANIFEST_FOLDER, manifestFileName } from "../../src/orchestrator/plan/manifest.js";
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";

const DAY_MS = 86_400_000;
/** 20: young throughout; 80: archived, then past days_to_delete; 95: deleted at once; 120: protected. */
const ages = [20, 80, 95, 120] as const;
// Five: the cheap path asks ICA and BaseSpace once (a refused delete or trash move) before paying to restore.
const CYCLES = 5;
const STEP_DAYS = 5;

const idsOf = (age: number) => [analysisId(Math.round(age * 100)), datasetId(Math.round(age * 100)), referenceOf(age), `D-${age}`];
const untouchable = [20, 120].flatMap(idsOf);
const billed = new Set(["archive", "unarchive", "restore"]);
const completing = new Set(["delete", "trash"]);

interface World {
  reports: CycleReport[];
  /** Mutating requests of each cycle, as `METHOD path`. */
  mutations: string[][];
  /** The manifests the cycles wrote (the state directory's copies), as text. */
  manifests: string[];
  /** What the cycles logged. */
  log: string;
  /** Reads BaseSpace or ICA refused with 400, each cycle. */
  refusedReads: number[];
  /** The ledger entries the account's state holds as confirmed after the last cycle. */
  confirmed: string[];
}

async function runWorld(sim: Simulator, assume: Partial<Record<AssumptionId, string>>, overrides: Parameters<typeof cycleSettings>[2] = {}): Promise<World> {
  sim.reset();
  sim.setAssumptions(assume);
  const state = await tempStateDir();
  try {
    const settings = cycleSettings(sim, state.dir, { basespaceRuns: "none", protect: [referenceOf(120), "D-120"], ...overrides });
    const world: World = { reports: [], mutations: [], manifests: [], log: "", refusedReads: [], confirmed: [] };
    const sink = new LogSink();
    for (let i = 0; i < CYCLES; i++) {
      const since = sim.requests().lastSeq;
      world.reports.push(await cycle(sim, settings, sink));
      world.mutations.push(
        sim
          .requests(since + 1)
          .requests.filter((r) => r.method !== "GET" && r.method !== "HEAD" && !(r.route ?? "").endsWith(":search") && !(r.route ?? "").includes(":create"))
          .map((r) => `${r.method} ${r.path}`),
      );
      world.refusedReads.push(sim.requests(since).requests.filter((r) => r.method === "GET" && r.status === 400).length);
      sim.advanceClock(STEP_DAYS * DAY_MS);
    }
    const manifests = statePaths(state.dir).manifests;
    for (const name of await readdir(manifests).catch(() => [])) world.manifests.push(await readFile(join(manifests, name), "utf8"));
    world.log = sink.text;
    world.confirmed = await confirmedIn(state.dir);
    return world;
  } finally {
    await state.remove();
  }
}

async function confirmedIn(stateDir: string): Promise<string[]> {
  const text = await readFile(ledgerStateFile(stateDir), "utf8").catch(() => '{"assumptions": {}}');
  const entries = (JSON.parse(text) as { assumptions: Record<string, { state: string }> }).assumptions;
  return Object.entries(entries).flatMap(([id, entry]) => (entry.state === "confirmed" ? [id] : []));
}

function assertSafe(world: World, label: string): void {
  const actions = world.reports.flatMap((r) => r.actions);
  for (const action of actions) {
    const named = [...action.ids, ...(action.paths ?? [])].join(" ");
    for (const key of untouchable) expect(named, `${label}: ${action.action} touched ${key}`).not.toContain(key);
  }
  // At most one billed action on an item that is then never completed (deleted or trashed).
  const spent = new Map<string, number>();
  const done = new Set<string>();
  for (const action of actions) {
    for (const id of action.ids) {
      if (billed.has(action.action)) spent.set(id, (spent.get(id) ?? 0) + 1);
      if (completing.has(action.action) && action.result === "ok") done.add(id);
    }
  }
  for (const [id, count] of spent) if (!done.has(id)) expect(count, `${label}: billed actions on ${id}`).toBeLessThanOrEqual(1);
  // No loop: no mutating request is repeated in every cycle.
  const [first, ...rest] = world.mutations;
  const everyCycle = (first ?? []).filter((request) => rest.every((cycleRequests) => cycleRequests.includes(request)));
  expect(everyCycle, `${label}: the same request every cycle`).toEqual([]);
}

/** The assumptions each cycle's report names as contradicted. */
const named = (world: World): string[] => [...new Set(world.reports.flatMap((r) => (r.contradictions ?? []).map((c) => c.assumption)))];

/**
 * Alternatives this fixture lets a cycle observe, so the cycle must name them. The others leave no
 * trace a cycle reads here: the restore-first flow never trashes an archived item (bs.trash-archived),
 * the fixture's listing is in creation order anyway (bs.sort-date-created: see below), nothing is
 * delivered (ica.duplicate-path, ica.upload-available, ica.link-keeps-path, ica.source-delete-removes-links:
 * see the delivery worlds below), nothing is relaunched (ica.relaunch-definition: cycle-requeue-canary.test.ts),
 * or no call of the product can see it (the entries whose observable says "Not observable", with why: each
 * is only shown safe here).
 */
const observableHere = new Set([
  "bs.trash-endpoint=absent",
  "bs.trash-endpoint=runs-only",
  "bs.empty-trash=deferred",
  "bs.page-limit=clamped-100",
  "bs.page-limit=rejected",
  "ica.folder-status=stays-available",
  "ica.multi-value-query=last-only",
]);

/** Each entry a cycle can observe, and the world (a test below, or another file) in which it is named when contradicted. */
const namedIn: Record<string, string> = {
  "bs.trash-endpoint": "safe in every world",
  "bs.trash-archived": "cheap path first",
  "bs.empty-trash": "safe in every world",
  "bs.sort-date-created": "BaseSpace listings that ignore sortby=DateCreated",
  "bs.page-limit": "safe in every world",
  "ica.folder-status": "safe in every world",
  "ica.multi-value-query": "safe in every world",
  "ica.delete-archived": "cheap path first",
  "ica.duplicate-path": "a manifest already in the destination",
  "ica.upload-available": "delivery",
  "ica.link-keeps-path": "delivery",
  "ica.source-delete-removes-links": "delivery",
  "ica.relaunch-definition": "test/orchestrator/cycle-requeue-canary.test.ts",
};

it("every ledger entry is either named in a world of this file or says why no call can observe it", () => {
  for (const entry of ledger) {
    if (entry.observable.startsWith("Not observable: ")) expect(namedIn[entry.id], entry.id).toBeUndefined();
    else expect(namedIn[entry.id], `${entry.id}: name the world that shows it contradicted`).toBeDefined();
  }
});

const alternatives = assumptionIds.flatMap((id) =>
  Object.keys(assumptionSwitches[id].alternatives)
    .slice(1)
    .map((alternative) => ({ id, alternative })),
);

describe("safe in every world", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [...ages] }) });
  });
  afterAll(() => sim.stop());

  it("under the defaults: archives, deletes and trashes what is due, touches nothing else, no loop", async () => {
    const world = await runWorld(sim, {});
    assertSafe(world, "defaults");
    expect(named(world)).toEqual([]);
    // The pages the listings fetched and the trash read back after the first purge confirm what they could.
    expect(world.confirmed).toEqual(expect.arrayContaining(["bs.trash-endpoint", "bs.page-limit", "bs.empty-trash"]));
    const done = world.reports.flatMap((r) => r.actions).filter((a) => a.result === "ok").map((a) => a.action);
    expect(done).toEqual(expect.arrayContaining(["archive", "delete", "trash", "unarchive", "restore"]));
  });

  it.each(alternatives)("under $id=$alternative", async ({ id, alternative }) => {
    const world = await runWorld(sim, { [id]: alternative });
    assertSafe(world, `${id}=${alternative}`);
    // Never a wrong accusation; the contradicted entry named wherever the cycle can see it.
    expect(named(world).filter((other) => other !== id)).toEqual([]);
    if (observableHere.has(`${id}=${alternative}`)) expect(named(world)).toEqual([id]);
  });

  it("ICA folders that stay AVAILABLE: the contradiction is named once seen, and ICA archives, unarchives and deletes stop until acknowledged", async () => {
    const world = await runWorld(sim, { "ica.folder-status": "stays-available" });
    const icaDone = (report: CycleReport) => report.actions.filter((a) => a.step === "icaLifecycle" && a.result === "ok").map((a) => a.action);
    // The first cycle archives the 80-day folder (and deletes the 95-day one); from the cycle that sees it stay AVAILABLE on, nothing.
    expect(icaDone(world.reports[0] as CycleReport).sort()).toEqual(["archive", "delete"]);
    const seenAt = world.reports.findIndex((r) => (r.contradictions ?? []).length > 0);
    expect(seenAt).toBeGreaterThan(0);
    expect(world.reports.slice(seenAt).flatMap(icaDone)).toEqual([]);
    // Loud: the report's table, an error log line.
    expect(renderCycleReport(world.reports[seenAt] as CycleReport)).toContain("Contradicted assumptions:\n    - assumption ica.folder-status contradicted");
    expect(world.log).toMatch(/error.*assumption ica\.folder-status contradicted/);
    const reasons = world.reports.at(-1)?.plan.steps.flatMap((s) => s.items).map((i) => i.reason) ?? [];
    expect(reasons.join("\n")).toContain("ica-orchestrator ack ica.folder-status");
    // The BaseSpace lifecycle goes on.
    expect(world.reports.flatMap((r) => r.actions).filter((a) => a.step === "basespaceLifecycle" && a.result === "ok").length).toBeGreaterThan(0);
  });

  it("a purge that leaves items in the trash: named from the listing read right after it, and no purge after that until acknowledged", async () => {
    const world = await runWorld(sim, { "bs.empty-trash": "deferred" });
    const seenAt = world.reports.findIndex((r) => (r.contradictions ?? []).length > 0);
    expect(world.reports[seenAt]?.contradictions?.[0]?.evidence).toContain("was still listed right after the purge");
    const purged = (report: CycleReport) => report.actions.filter((a) => a.action === "empty-trash" && a.result === "ok");
    expect(purged(world.reports[seenAt] as CycleReport)).toHaveLength(1);
    expect(world.reports.slice(seenAt + 1).flatMap(purged)).toEqual([]);
    const reasons = world.reports.slice(seenAt + 1).flatMap((r) => r.plan.steps.flatMap((s) => s.items)).map((i) => i.reason);
    expect(reasons.join("\n")).toContain("ica-orchestrator ack bs.empty-trash");
    // Trash moves and the ICA lifecycle go on.
    expect(world.reports.slice(seenAt + 1).flatMap((r) => r.actions).filter((a) => a.action === "trash" && a.result === "ok").length).toBeGreaterThan(0);
  });

  it("a page size BaseSpace refuses: asked once, named, and pages of 100 from then on while it stands contradicted", async () => {
    const world = await runWorld(sim, { "bs.page-limit": "rejected" });
    expect(world.refusedReads).toEqual([1, 0, 0, 0, 0]);
    expect(world.reports[0]?.contradictions?.[0]?.evidence).toMatch(/limit=1024 answered 400 .*limit=100 was accepted/);
    expect(world.reports.flatMap((r) => r.actions).filter((a) => a.step === "basespaceLifecycle" && a.result === "ok").length).toBeGreaterThan(0);
  });

  it("a folder missing from a listing by several ids is read on its own, not taken as deleted, and the contradiction named", async () => {
    const world = await runWorld(sim, { "ica.multi-value-query": "last-only" });
    expect(world.reports[0]?.contradictions?.[0]?.evidence).toMatch(/missing from a listing by \d+ ids but exists/);
    // Marker files are looked for with filename=a&filename=b too: unclassified analyses are left alone.
    expect(world.reports.flatMap((r) => r.actions)).toEqual([]);
  });
});

describe("BaseSpace listings that ignore sortby=DateCreated", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [20, 70, 95] }) });
  });
  afterAll(() => sim.stop());

  it("are read to the end with the contradiction named, so no aged dataset is skipped", async () => {
    const world = await runWorld(sim, { "bs.sort-date-created": "ignored" });
    const first = world.reports[0];
    expect(named(world)).toEqual(["bs.sort-date-created"]);
    const acted = first?.actions.filter((a) => a.step === "basespaceLifecycle" && a.result === "ok").flatMap((a) => a.ids) ?? [];
    expect(acted).toEqual(expect.arrayContaining([datasetId(7000), datasetId(9500)]));
  });
});

describe("BaseSpace: a contradicted trash endpoint stops trash moves and the restores bought for them", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [80, 95] }) });
  });
  afterAll(() => sim.stop());

  it("one trash move answers 405: no later trash move, no restore, the contradiction named with the ack to lift it", async () => {
    const world = await runWorld(sim, { "bs.trash-endpoint": "absent" });
    const actions = world.reports.flatMap((r) => r.actions).filter((a) => a.step === "basespaceLifecycle");
    expect(actions.filter((a) => a.action === "restore")).toEqual([]);
    expect(actions.filter((a) => a.action === "trash")).toHaveLength(1);
    expect(named(world)).toEqual(["bs.trash-endpoint"]);
    const reasons = world.reports.at(-1)?.plan.steps.flatMap((s) => s.items).map((i) => i.reason) ?? [];
    expect(reasons.join("\n")).toContain("assumption bs.trash-endpoint contradicted");
    expect(reasons.join("\n")).toContain("ica-orchestrator ack bs.trash-endpoint");
    // Delivery and the ICA lifecycle go on.
    expect(world.reports.flatMap((r) => r.actions).filter((a) => a.step === "icaLifecycle" && a.result === "ok").length).toBeGreaterThan(0);
  });
});

/** One delivered BCLConvert analysis (two MGI FASTQs) already past days_to_delete, and nothing else to retire. */
function deliveryFixture(): FixtureInput {
  const fixture = agesFixture({ ages: [95] });
  const [analysis] = fixture.ica.analyses;
  if (analysis === undefined) throw new Error("the ages fixture has no analysis");
  fixture.ica.analyses = [
    {
      ...analysis,
      pipelineCode: "BclConvert_v4_1_23_patch1",
      files: [...(analysis.files ?? []), { path: "output/M-S1_R1_001.fastq.gz", sizeBytes: 100 }, { path: "output/M-S1_R2_001.fastq.gz", sizeBytes: 100 }],
    },
  ];
  return fixture;
}

/** Deliveries may be deleted at the next cycle. */
const deliver = { minDaysAfterDelivery: 0 } as const;

describe("delivery: where links land, and whether they outlive their source", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: deliveryFixture() });
  });
  afterAll(() => sim.stop());

  it("under the defaults: delivered, then deleted at the next cycle, nothing contradicted", async () => {
    const world = await runWorld(sim, {}, deliver);
    assertSafe(world, "delivery defaults");
    expect(named(world)).toEqual([]);
    expect(world.confirmed).toContain("ica.upload-available");
    const done = world.reports.flatMap((r) => r.actions).filter((a) => a.result === "ok").map((a) => a.action);
    expect(done).toEqual(expect.arrayContaining(["link", "create-manifest", "delete"]));
  });

  it("links that land in the destination's root: found by id, and the manifest names where they are", async () => {
    const world = await runWorld(sim, { "ica.link-keeps-path": "root" }, deliver);
    assertSafe(world, "ica.link-keeps-path=root");
    expect(named(world)).toEqual(["ica.link-keeps-path"]);
    expect(world.reports[0]?.contradictions?.[0]?.evidence).toContain("at /M-S1_R");
    const manifest = world.manifests.join("\n");
    expect(manifest).toContain("/M-S1_R1_001.fastq.gz,");
    expect(manifest).not.toContain("/output/M-S1_R1_001.fastq.gz");
  });

  it("an upload that reads PARTIAL after its PUT: named, not reported uploaded, and manifest uploads stop while linking goes on", async () => {
    const world = await runWorld(sim, { "ica.upload-available": "delayed" }, deliver);
    assertSafe(world, "ica.upload-available=delayed");
    expect(named(world)).toEqual(["ica.upload-available"]);
    expect(world.reports[0]?.contradictions?.[0]?.evidence).toContain("read PARTIAL right after its upload's PUT returned");
    const done = world.reports.flatMap((r) => r.actions).filter((a) => a.result === "ok").map((a) => a.action);
    expect(done).toContain("link");
    expect(done.filter((a) => a === "create-manifest")).toHaveLength(1);
    const reasons = world.reports.slice(1).flatMap((r) => r.warnings ?? []).join("\n");
    expect(reasons).toContain("ica-orchestrator ack ica.upload-available");
  });

  it("links that outlive their deleted source: the contradiction is named", async () => {
    const world = await runWorld(sim, { "ica.source-delete-removes-links": "links-survive" }, deliver);
    assertSafe(world, "ica.source-delete-removes-links=links-survive");
    expect(named(world)).toEqual(["ica.source-delete-removes-links"]);
    expect(world.reports.flatMap((r) => r.contradictions ?? [])[0]?.evidence).toContain("still lists");
  });
});

/** The delivery fixture with its manifest's path already taken in the destination: a PARTIAL file a crashed run left. */
function manifestTakenFixture(): FixtureInput {
  const fixture = deliveryFixture();
  fixture.ica.files = [{ projectId: DESTINATION, path: `${MANIFEST_FOLDER}${manifestFileName(referenceOf(95))}`, sizeBytes: 10, status: "PARTIAL" }];
  return fixture;
}

describe("a manifest already in the destination: the file there is uploaded over, however ICA answered the create", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startCycleSimulator({ fixture: manifestTakenFixture() });
  });
  afterAll(() => sim.stop());

  it.each([
    { assume: {}, named: [], confirmed: ["ica.duplicate-path"] },
    { assume: { "ica.duplicate-path": "bad-request" }, named: ["ica.duplicate-path"], confirmed: [] },
  ])("$assume: contradictions $named", async ({ assume, named: expected, confirmed }) => {
    const world = await runWorld(sim, assume, deliver);
    assertSafe(world, JSON.stringify(assume));
    expect(named(world)).toEqual(expected);
    expect(world.confirmed).toEqual(expect.arrayContaining(confirmed));
    if (expected.length > 0) expect(world.reports[0]?.contradictions?.[0]?.evidence).toContain("answered 400");
    expect(world.reports[0]?.actions.filter((a) => a.result === "ok").map((a) => a.action)).toEqual(expect.arrayContaining(["create-manifest", "upload-manifest"]));
    expect(world.reports[0]?.errors ?? []).toEqual([]);
  });
});

describe("cheap path first: a restore is paid only once the service refused the free removal", () => {
  let sim: Simulator;
  beforeAll(async () => {
    // Past days_to_delete and archived already, in ICA and in BaseSpace.
    sim = await startCycleSimulator({ fixture: agesFixture({ ages: [95, 96, 97], archived: true }) });
  });
  afterAll(() => sim.stop());

  const done = (world: World, step: string) =>
    world.reports.map((r) => r.actions.filter((a) => a.step === step).map((a) => `${a.action}:${a.result}`));

  it("ICA deletes archived folders directly: one :delete asks, no unarchive is ever paid, the contradiction is named", async () => {
    const world = await runWorld(sim, { "ica.delete-archived": "allowed", "bs.trash-archived": "allowed" });
    const ica = done(world, "icaLifecycle");
    // The first cycle asks with one delete; once ICA has answered, the next deletes the rest.
    expect(ica.slice(0, 2)).toEqual([["delete:ok"], ["delete:ok", "delete:ok"]]);
    expect(ica.flat().filter((a) => a.startsWith("unarchive"))).toEqual([]);
    expect(ica.flat().filter((a) => a === "delete:ok")).toHaveLength(3);
    const bs = done(world, "basespaceLifecycle").flat();
    expect(bs.filter((a) => a.startsWith("restore"))).toEqual([]);
    expect(bs.filter((a) => a === "trash:ok")).toHaveLength(3);
    expect(named(world)).toContain("ica.delete-archived");
  });

  it("under the defaults the refusal is the evidence: one refused :delete and trash move, then one unarchive and restore per item, then the removal", async () => {
    const world = await runWorld(sim, {});
    const ica = done(world, "icaLifecycle");
    expect(ica.slice(0, 3)).toEqual([["delete:failed"], ["unarchive:ok", "unarchive:ok", "unarchive:ok"], ["delete:ok", "delete:ok", "delete:ok"]]);
    // No restore before BaseSpace answered a trash move of archived data; then one (bulk) restore.
    const bs = done(world, "basespaceLifecycle");
    expect(bs.slice(0, 3)).toEqual([["trash:failed"], ["restore:ok"], ["trash:ok", "trash:ok", "trash:ok", "empty-trash:ok"]]);
    const refused = world.reports.flatMap((r) => r.steps.flatMap((s) => Object.keys(s.counts)));
    expect(refused).toEqual(expect.arrayContaining(["deleteRefusedArchived", "trashRefusedArchived"]));
    // An expected refusal is not an error.
    expect(world.reports.flatMap((r) => r.errors ?? [])).toEqual([]);
  });
});
