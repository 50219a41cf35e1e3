import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJournal } from "../../src/state/journal.js";

// The journal helpers the orchestration cycle added: what it knows of output folders and link batches.
let dir: string;
let path: string;
let clock = new Date("2025-06-01T10:00:00.000Z");
const now = (): Date => clock;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-journal-"));
  path = join(dir, "journal.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state/journal: what a cycle remembers between cycles", () => {
  it("keeps the output folder path and a known status with the classification, across a save", async () => {
    const journal = await openJournal(path, { now });
    journal.classify("an-1", { kind: "ica", outputFolderId: "fol.1", outputFolderPath: "/ref-1/" });
    journal.recordOutputStatus("an-1", "ARCHIVED");
    clock = new Date("2025-06-02T10:00:00.000Z");
    journal.recordOutputStatus("an-1", "ARCHIVED");
    journal.recordOutputStatus("an-unknown", "DELETED");
    await journal.save();
    const reread = await openJournal(path);
    expect(reread.data.classifications).toEqual({
      "an-1": {
        kind: "ica",
        basespaceProjects: [],
        outputFolderId: "fol.1",
        outputFolderPath: "/ref-1/",
        outputStatus: { status: "ARCHIVED", since: "2025-06-01T10:00:00.000Z" },
        classifiedAt: "2025-06-01T10:00:00.000Z",
      },
    });
    reread.recordOutputStatus("an-1", "DELETED");
    expect(reread.data.classifications["an-1"]?.outputStatus?.status).toBe("DELETED");
  });

  it("drops link batches known to be finished and keeps the others", async () => {
    const journal = await openJournal(path, { now });
    journal.startManaging("an-1", "RUN");
    journal.recordLinkBatch("an-1", "b-1");
    journal.recordLinkBatch("an-1", "b-2");
    journal.dropLinkBatches("an-1", ["b-1", "b-9"]);
    expect(journal.data.managing["an-1"]?.linkBatchIds).toEqual(["b-2"]);
    expect(() => journal.dropLinkBatches("an-2", ["b-1"])).toThrow(/startManaging/);
  });
});
