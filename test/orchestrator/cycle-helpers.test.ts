import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalWriter } from "../../src/orchestrator/journal-writer.js";
import { batchByQueryLength } from "../../src/modules/outputs/query-batches.js";
import { openJournal } from "../../src/state/index.js";

describe("orchestrator/query-batches", () => {
  it("keeps every request line under the limit, counting the encoded values and the parameter names", () => {
    const paths = Array.from({ length: 100 }, (_, i) => `/ilmn-analyses/run ${i}/`);
    const batches = batchByQueryLength(paths, "filePath", 300);
    expect(batches.flat()).toEqual(paths);
    for (const batch of batches) {
      const query = new URLSearchParams(batch.map((p): [string, string] => ["filePath", p])).toString();
      expect(query.length).toBeLessThanOrEqual(300);
    }
    expect(batches.length).toBeGreaterThan(1);
  });

  it("gives a value longer than the limit a request of its own rather than dropping it", () => {
    expect(batchByQueryLength(["a", "x".repeat(50), "b"], "id", 20)).toEqual([["a"], ["x".repeat(50)], ["b"]]);
    expect(batchByQueryLength([], "id")).toEqual([]);
  });
});

describe("orchestrator/journal-writer", () => {
  it("coalesces saves asked for while one is written, and every caller's change is on disk when its save resolves", async () => {
    const dir = await mkdtemp(join(tmpdir(), "journal-writer-"));
    try {
      const journal = await openJournal(join(dir, "journal.json"));
      const writer = new JournalWriter(journal);
      let writes = 0;
      const save = journal.save.bind(journal);
      journal.save = async () => {
        writes += 1;
        return save();
      };
      const saves = Array.from({ length: 20 }, (_, i) => {
        journal.classify(`an-${i}`, { kind: "unknown" });
        return writer.save();
      });
      await Promise.all(saves);
      expect(writes).toBeLessThanOrEqual(2);
      const written = JSON.parse(await readFile(join(dir, "journal.json"), "utf8")) as { classifications: object };
      expect(Object.keys(written.classifications)).toHaveLength(20);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
