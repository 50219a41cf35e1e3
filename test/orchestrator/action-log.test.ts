import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActionLog } from "../../src/orchestrator/action-log.js";
import { JournalWriter } from "../../src/orchestrator/journal-writer.js";
import { acquireStateLock, ensureStateDir, openJournal, type AuditRecord, type StateLock } from "../../src/state/index.js";
import { tempStateDir } from "./cycle-harness.js";

describe("the action log's share of the report", () => {
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  let lock: StateLock;
  let log: ActionLog;
  let audited: AuditRecord[];
  beforeEach(async () => {
    state = await tempStateDir();
    const paths = await ensureStateDir(state.dir);
    lock = await acquireStateLock(state.dir);
    audited = [];
    // The audit log as the action log sees it, kept in memory: a thousand fsynced appends are not what is tested here.
    const audit = { path: paths.audit, append: (record: AuditRecord) => Promise.resolve(void audited.push(record)) };
    log = new ActionLog(audit, lock, new JournalWriter(await openJournal(paths.journal)));
  });
  afterEach(async () => {
    await lock.release();
    await state.remove();
  });

  it("lists the first 1,000 calls with their first 100 targets, counts every call, and audits every target", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `fil.${i}`);
    await log.record("manageNew", { action: "link", ids, paths: ids.map((id) => `/run/${id}.fastq.gz`) }, "ok", "linking batch b1");
    for (let i = 0; i < 1_100; i++) await log.record("icaLifecycle", { action: "delete", ids: [`fol.${i}`] }, i % 2 === 0 ? "ok" : "failed");

    expect(log.records).toHaveLength(1_000);
    const [link] = log.records;
    expect(link?.ids).toEqual(ids.slice(0, 100));
    expect(link?.paths).toHaveLength(100);
    expect(link?.idCount).toBe(250);
    expect(log.records[1]?.idCount).toBeUndefined();
    expect(log.totals).toEqual({ calls: 1_101, failed: 550 });
    // The deletion cap counts every target attempted, listed or not.
    expect(log.targetsOf(new Set(["delete", "trash"]))).toBe(1_100);
    expect(log.targetsOf(new Set(["link"]))).toBe(250);

    expect(audited).toHaveLength(1_101);
    expect(audited[0]?.targets.ids).toEqual(ids);
  });
});
