import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditLog, readAuditLog } from "../../src/state/audit-log.js";
import { SecretRedactor } from "../../src/logging/redact.js";

let dir: string;
let path: string;
const now = (): Date => new Date("2025-06-01T10:00:00.000Z");
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-audit-"));
  path = join(dir, "audit.jsonl");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state/audit-log AuditLog", () => {
  it("appends one JSON line per action and never rewrites what is there", async () => {
    const earlier = '{"time":"2025-05-01T00:00:00.000Z","cycleId":"old","action":"archive","targets":{"ids":["fol.0"]},"result":"ok"}\n';
    await writeFile(path, earlier);
    const audit = new AuditLog(path, { cycleId: "c1", now });
    await audit.append({ action: "link", targets: { ids: ["fil.1", "fil.2"], paths: ["/a/M-1_R1.fastq.gz"] }, result: "ok" });
    await audit.append({ action: "delete", targets: { ids: ["fol.9"] }, result: "failed", message: "409 conflict" });
    await new AuditLog(path, { cycleId: "c2", now }).append({ action: "trash", targets: { ids: ["ds.1"] }, result: "skipped", dryRun: true });

    const text = await readFile(path, "utf8");
    expect(text.startsWith(earlier)).toBe(true);
    expect(text.split("\n").slice(1, -1)).toEqual([
      '{"time":"2025-06-01T10:00:00.000Z","cycleId":"c1","action":"link","targets":{"ids":["fil.1","fil.2"],"paths":["/a/M-1_R1.fastq.gz"]},"result":"ok"}',
      '{"time":"2025-06-01T10:00:00.000Z","cycleId":"c1","action":"delete","targets":{"ids":["fol.9"]},"result":"failed","message":"409 conflict"}',
      '{"time":"2025-06-01T10:00:00.000Z","cycleId":"c2","action":"trash","targets":{"ids":["ds.1"]},"result":"skipped","dryRun":true}',
    ]);
    const { entries, invalidLines } = await readAuditLog(path);
    expect(entries.map((e) => e.action)).toEqual(["archive", "link", "delete", "trash"]);
    expect(invalidLines).toEqual([]);
  });

  it("keeps lines whole and in call order under concurrent appends", async () => {
    const audit = new AuditLog(path, { cycleId: "c1", now });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => audit.append({ action: "archive", targets: { ids: [`fol.${i}`] }, result: "ok" })),
    );
    const { entries, invalidLines } = await readAuditLog(path);
    expect(invalidLines).toEqual([]);
    expect(entries.map((e) => e.targets.ids[0])).toEqual(Array.from({ length: 50 }, (_, i) => `fol.${i}`));
  });

  it("redacts secrets quoted in messages", async () => {
    const audit = new AuditLog(path, { cycleId: "c1", now, redactor: new SecretRedactor(["sekrit-key-123"]) });
    await audit.append({ action: "upload", targets: { ids: ["fil.m"] }, result: "failed", message: "PUT ?X-Amz-Signature=abc key sekrit-key-123" });
    const text = await readFile(path, "utf8");
    expect(text).not.toMatch(/sekrit|abc/);
    expect(text).toContain("X-Amz-Signature=[REDACTED]");
  });

  it("rejects an entry that does not match the schema before writing anything", async () => {
    const audit = new AuditLog(path, { cycleId: "c1", now });
    const bad = { action: "", targets: { ids: [] }, result: "ok" as const };
    await expect(audit.append(bad)).rejects.toThrow();
    expect((await readAuditLog(path)).entries).toEqual([]);
  });

  it("reports a line torn by a crash instead of failing to read the rest", async () => {
    const audit = new AuditLog(path, { cycleId: "c1", now });
    await audit.append({ action: "archive", targets: { ids: ["fol.1"] }, result: "ok" });
    await appendFile(path, '{"time":"2025-06-01T10:0');
    expect(await readAuditLog(path)).toMatchObject({ entries: [{ action: "archive" }], invalidLines: [2] });
  });
});

describe("state/audit-log torn lines and fencing", () => {
  const archived = { action: "archive", targets: { ids: ["fol.1"] }, result: "ok" as const };

  it("moves a torn last line to audit.jsonl.torn before appending, so it never glues onto the next record", async () => {
    await new AuditLog(path, { cycleId: "c1", now }).append(archived);
    const torn = '{"time":"2025-06-01T10:0';
    await appendFile(path, torn);
    const warnings: string[] = [];
    await new AuditLog(path, { cycleId: "c2", now, onTornLine: (m) => warnings.push(m) }).append({ ...archived, result: "intent" });
    expect(await readAuditLog(path)).toMatchObject({
      entries: [{ cycleId: "c1", result: "ok" }, { cycleId: "c2", result: "intent" }],
      invalidLines: [],
    });
    expect(await readFile(`${path}.torn`, "utf8")).toBe(`${torn}\n`);
    expect(warnings).toEqual([`${path}: a torn last line (${torn.length} bytes) was moved to ${path}.torn`]);
  });

  it("sets aside a torn file that has no complete line at all", async () => {
    await writeFile(path, '{"ti');
    await new AuditLog(path, { cycleId: "c1", now }).append(archived);
    expect(await readAuditLog(path)).toMatchObject({ entries: [{ cycleId: "c1" }], invalidLines: [] });
    expect(await readFile(`${path}.torn`, "utf8")).toBe('{"ti\n');
  });

  it("writes nothing once the fence says this cycle no longer holds the lock", async () => {
    let held = true;
    const audit = new AuditLog(path, {
      cycleId: "c1",
      now,
      fence: () => {
        if (!held) throw new Error("lock lost");
      },
    });
    await audit.append(archived);
    held = false;
    await expect(audit.append(archived)).rejects.toThrow("lock lost");
    expect((await readAuditLog(path)).entries).toHaveLength(1);
  });
});
