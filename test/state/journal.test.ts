import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JournalError, openJournal } from "../../src/state/journal.js";
import { acquireStateLock, LockCompromisedError } from "../../src/state/lock.js";

const analysis = "3c1e9a52-7b0d-4f6e-9a21-5d8c0b7e4f13";

let dir: string;
let path: string;
let clock: Date;
const now = (): Date => clock;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-journal-"));
  path = join(dir, "journal.json");
  clock = new Date("2025-06-01T10:00:00.000Z");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe("state/journal", () => {
  it("starts empty when missing and writes nothing until something changes", async () => {
    const journal = await openJournal(path, { now });
    expect(journal.data.cycles.count).toBe(0);
    expect(await journal.save()).toBe(false);
    expect(await exists(path)).toBe(false);
  });

  it("round-trips every kind of record", async () => {
    const journal = await openJournal(path, { now });
    journal.beginCycle("2025-06-01T10-00-00.000Z-abcd");
    journal.startManaging(analysis, "RUN_REF");
    journal.recordLinkBatch(analysis, "batch-1");
    journal.recordLinked(analysis, ["fil.1", "fil.2"]);
    journal.recordManifest(analysis, { dataId: "fil.m", status: "created" });
    journal.setStep(analysis, "manifest");
    journal.classify("an-2", { kind: "bssh", basespaceProjects: ["ProjA"], outputFolderId: "fol.9" });
    journal.classify("an-3", { kind: "unknown" });
    expect(journal.requestIcaDelete("fol.7", { projectId: "p1", analysisId: "an-4" })).toBe(true);
    expect(journal.recordBasespaceRestore("ds.1", "dataset")).toBe(true);
    journal.recordTrashed("run-5", "run", "20250101_RUN");
    journal.finishCycle();
    expect(await journal.save()).toBe(true);

    const reloaded = await openJournal(path, { now });
    expect(reloaded.data).toEqual(journal.data);
    expect(reloaded.data).toMatchObject({
      version: 1,
      cycles: { count: 1, lastCycleId: "2025-06-01T10-00-00.000Z-abcd", lastFinishedAt: "2025-06-01T10:00:00.000Z" },
      managing: {
        [analysis]: {
          runId: "RUN_REF",
          step: "manifest",
          linkBatchIds: ["batch-1"],
          linkedDataIds: ["fil.1", "fil.2"],
          manifest: { dataId: "fil.m", status: "created" },
        },
      },
      classifications: { "an-2": { kind: "bssh", basespaceProjects: ["ProjA"], outputFolderId: "fol.9" } },
      pendingIcaDeletes: { "fol.7": { projectId: "p1", analysisId: "an-4" } },
      basespaceRestores: { "ds.1": { kind: "dataset" } },
      trashedByUs: { "run-5": { kind: "run", name: "20250101_RUN" } },
    });
    expect(reloaded.isTrashedByUs("run-5")).toBe(true);
    expect(await reloaded.save()).toBe(false);
  });

  it("saves only when changed: repeated and no-op updates do not write", async () => {
    const journal = await openJournal(path, { now });
    journal.startManaging(analysis);
    journal.recordLinkBatch(analysis, "batch-1");
    await journal.save();
    await rm(path); // a write would recreate it
    clock = new Date("2025-06-01T11:00:00.000Z");
    journal.startManaging(analysis); // resume: returns the existing entry
    journal.recordLinkBatch(analysis, "batch-1");
    journal.recordLinked(analysis, []);
    journal.setStep(analysis, "link");
    expect(journal.requestIcaDelete("fol.1", { projectId: "p" })).toBe(true);
    journal.clearIcaDelete("fol.1");
    expect(journal.changed).toBe(false);
    expect(await journal.save()).toBe(false);
    expect(await exists(path)).toBe(false);
    journal.recordLinked(analysis, ["fil.3"]);
    expect(journal.data.managing[analysis]?.updatedAt).toBe("2025-06-01T11:00:00.000Z");
    expect(await journal.save()).toBe(true);
  });

  it("never asks twice for the same unarchive or restore, and forgets finished work", async () => {
    const journal = await openJournal(path, { now });
    expect(journal.requestIcaDelete("fol.1", { projectId: "p" })).toBe(true);
    expect(journal.requestIcaDelete("fol.1", { projectId: "p" })).toBe(false);
    expect(journal.recordBasespaceRestore("run-1", "run")).toBe(true);
    expect(journal.recordBasespaceRestore("run-1", "run")).toBe(false);
    journal.startManaging(analysis);
    journal.finishManaging(analysis);
    journal.recordTrashed("ds.1", "dataset");
    journal.forgetTrashed(["ds.1"]);
    journal.clearBasespaceRestore("run-1");
    expect(journal.data.managing).toEqual({});
    expect(journal.isTrashedByUs("ds.1")).toBe(false);
    expect(journal.data.basespaceRestores).toEqual({});
  });

  it("a trash move is pending from its record until confirmed, and stays ours after", async () => {
    const journal = await openJournal(path, { now });
    journal.recordTrashed("ds.1", "dataset", "HG002");
    expect(journal.data.trashedByUs["ds.1"]).toEqual({ kind: "dataset", name: "HG002", trashedAt: "2025-06-01T10:00:00.000Z", pending: true });
    journal.confirmTrashed("ds.1");
    journal.confirmTrashed("ds.unknown");
    expect(journal.data.trashedByUs).toEqual({ "ds.1": { kind: "dataset", name: "HG002", trashedAt: "2025-06-01T10:00:00.000Z" } });
  });

  it("remembers requeue attempts before their launch, and their analyses after", async () => {
    const journal = await openJournal(path, { now });
    journal.recordRequeueAttempt("an-f", 1, "run_F-requeue-1");
    await journal.save();
    clock = new Date("2025-06-01T10:05:00.000Z");
    journal.recordRequeueAttempt("an-f", 1, "run_F-requeue-1"); // a resumed attempt keeps its first time
    expect(journal.changed).toBe(false);
    journal.recordRequeueResult("an-f", 1, "an-new");
    journal.recordRequeueAttempt("an-f", 2, "run_F-requeue-2");
    await journal.save();
    const reloaded = await openJournal(path, { now });
    expect(reloaded.data.requeues).toEqual({
      "an-f": [
        { attempt: 1, userReference: "run_F-requeue-1", requestedAt: "2025-06-01T10:00:00.000Z", analysisId: "an-new" },
        { attempt: 2, userReference: "run_F-requeue-2", requestedAt: "2025-06-01T10:05:00.000Z" },
      ],
    });
    expect(() => journal.recordRequeueResult("an-f", 3, "x")).toThrow(/no requeue attempt 3 .*call recordRequeueAttempt first/);
  });

  it("loads a journal written before requeues existed", async () => {
    const older = { version: 1, cycles: { count: 3 }, managing: {}, classifications: {}, pendingIcaDeletes: {}, basespaceRestores: {}, trashedByUs: {} };
    await writeFile(path, JSON.stringify(older));
    const journal = await openJournal(path, { now });
    expect(journal.data.requeues).toEqual({});
    expect(journal.changed).toBe(false);
    journal.recordRequeueAttempt("an-f", 1, "run_F-requeue-1");
    expect(await journal.save()).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8")).requeues["an-f"]).toHaveLength(1);
  });

  it("keeps a redelivery request from its first time until it is finished, its manifest name once chosen; older journals load without", async () => {
    const older = { version: 1, cycles: { count: 3 }, managing: {}, classifications: {}, pendingIcaDeletes: {}, basespaceRestores: {}, trashedByUs: {} };
    await writeFile(path, JSON.stringify(older));
    const journal = await openJournal(path, { now });
    expect(journal.data.redeliveries).toEqual({});
    expect(journal.requestRedelivery(analysis)).toBe(true);
    clock = new Date("2025-06-02T10:00:00.000Z");
    expect(journal.requestRedelivery(analysis)).toBe(false);
    journal.chooseRedeliveryManifest(analysis, { runId: "run-1", redelivery: 2 });
    journal.chooseRedeliveryManifest(analysis, { runId: "run-1", redelivery: 3 });
    expect(journal.data.redeliveries[analysis]).toEqual({ requestedAt: "2025-06-01T10:00:00.000Z", manifest: { runId: "run-1", redelivery: 2 } });
    await journal.save();
    expect((await openJournal(path, { now })).data.redeliveries[analysis]?.manifest?.redelivery).toBe(2);
    journal.finishRedelivery(analysis);
    expect(journal.data.redeliveries).toEqual({});
  });

  it("refuses to change an analysis that is not being managed", async () => {
    const journal = await openJournal(path, { now });
    expect(() => journal.recordLinkBatch(analysis, "b")).toThrow(/call startManaging first/);
  });

  it("loads read-only for a dry run: changes stay in memory", async () => {
    const writer = await openJournal(path, { now });
    writer.beginCycle("c1");
    writer.startManaging(analysis);
    await writer.save();
    const cyclesPath = join(dir, "cycles.json");
    const before = [await readFile(path, "utf8"), await readFile(cyclesPath, "utf8")];
    const dry = await openJournal(path, { now, readOnly: true });
    dry.beginCycle("c2");
    dry.setStep(analysis, "verify");
    expect(dry.data.cycles.count).toBe(2);
    expect(await dry.save()).toBe(false);
    expect([await readFile(path, "utf8"), await readFile(cyclesPath, "utf8")]).toEqual(before);
    const fresh = await openJournal(join(dir, "none.json"), { readOnly: true, cyclesPath: join(dir, "none-cycles.json") });
    fresh.beginCycle("c3");
    await fresh.save();
    expect(await exists(join(dir, "none.json"))).toBe(false);
    expect(await exists(join(dir, "none-cycles.json"))).toBe(false);
  });

  it("counts a cycle that changes nothing else in cycles.json, without rewriting the journal", async () => {
    const first = await openJournal(path, { now });
    first.classify("an-2", { kind: "ica", outputFolderId: "fol.9" });
    await first.save();
    const written = await stat(path);

    const idle = await openJournal(path, { now });
    idle.beginCycle("c1");
    idle.finishCycle();
    expect(idle.changed).toBe(true);
    expect(await idle.save()).toBe(true);
    expect((await stat(path)).mtimeMs).toBe(written.mtimeMs);
    expect((await stat(path)).ino).toBe(written.ino); // written atomically means a new inode: none was
    expect(JSON.parse(await readFile(path, "utf8"))).not.toHaveProperty("cycles");
    expect(JSON.parse(await readFile(join(dir, "cycles.json"), "utf8"))).toEqual({
      count: 1,
      lastCycleId: "c1",
      lastStartedAt: clock.toISOString(),
      lastFinishedAt: clock.toISOString(),
    });
    expect((await openJournal(path, { now })).data.cycles.count).toBe(1);
  });

  it("takes the counts of a journal written before cycles.json, and drops them from it at its next write", async () => {
    const older = { version: 1, cycles: { count: 41, lastCycleId: "c41" }, managing: {}, classifications: {}, pendingIcaDeletes: {}, basespaceRestores: {}, trashedByUs: {}, requeues: {} };
    await writeFile(path, JSON.stringify(older));
    const journal = await openJournal(path, { now });
    expect(journal.data.cycles).toEqual({ count: 41, lastCycleId: "c41" });
    journal.beginCycle("c42");
    journal.classify("an-2", { kind: "unknown" });
    await journal.save();
    expect(JSON.parse(await readFile(path, "utf8"))).not.toHaveProperty("cycles");
    expect((await openJournal(path, { now })).data.cycles).toMatchObject({ count: 42, lastCycleId: "c42" });
  });

  it.each([
    ["not JSON", "{ count", /cycle counts .*cycles\.json is not valid JSON .*delete it \(it only counts cycles/],
    ["a wrong count", JSON.stringify({ count: -2 }), /cycle counts .*cycles\.json are invalid at count .*delete it/],
  ])("refuses cycle counts that are %s with a one-line error", async (_, content, message) => {
    await writeFile(join(dir, "cycles.json"), content);
    const error = await openJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it.each([
    ["not JSON", "{ truncated", /is not valid JSON .*mv .*journal\.json .*journal\.json\.bad/],
    ["a wrong field", JSON.stringify({ version: 1, cycles: { count: -1 } }), /invalid at cycles\.count/],
    ["a missing section", JSON.stringify({ version: 1, cycles: { count: 0 } }), /invalid at managing/],
    [
      "a bad step",
      JSON.stringify({
        version: 1,
        cycles: { count: 0 },
        managing: { a: { step: "bogus", linkBatchIds: [], linkedDataIds: [], startedAt: "x", updatedAt: "x" } },
        classifications: {},
        pendingIcaDeletes: {},
        basespaceRestores: {},
        trashedByUs: {},
      }),
      /invalid at managing\.a\.step/,
    ],
    ["a newer version", JSON.stringify({ version: 2 }), /version 2 .* reads version 1: upgrade ica-orchestrator/],
  ])("refuses %s with a one-line error saying how to recover", async (_, content, message) => {
    await writeFile(path, content);
    const error = await openJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain("\n");
    expect(await readFile(path, "utf8")).toBe(content); // left for a human to inspect
  });

  it("a journal whose cycle lost the lock never saves over the newer cycle's journal", async () => {
    const stale = await acquireStateLock(dir);
    const paused = await openJournal(path, { now, fence: () => stale.assertHeld() });
    paused.startManaging(analysis);
    await paused.save();
    // Paused past the stale limit: the next cycle takes the lock over, trashes something and saves.
    const past = new Date(Date.now() - 60_000);
    await utimes(join(dir, "lock"), past, past);
    const newer = await acquireStateLock(dir);
    const current = await openJournal(path, { now, fence: () => newer.assertHeld() });
    current.recordTrashed("ds.1", "dataset");
    await current.save();
    const newerText = await readFile(path, "utf8");

    paused.finishManaging(analysis);
    paused.beginCycle("c-stale");
    await expect(paused.save()).rejects.toBeInstanceOf(LockCompromisedError);
    expect(await readFile(path, "utf8")).toBe(newerText);
    await newer.release();
  });
});
