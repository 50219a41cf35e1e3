import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../cli/helpers.js";
import { openJournal, type Journal } from "../../src/state/journal.js";

/**
 * Counts how often the journal is serialized (megabytes at scale, which is what is tested here): a remembered
 * identity whose value is read through a getter, which serializing the journal reads and nothing else does.
 */
function countSerializations(journal: Journal): () => number {
  let reads = 0;
  Object.defineProperty(journal.data.identities, "probe", {
    enumerable: true,
    get: () => {
      reads += 1;
      return "1";
    },
  });
  return () => reads;
}

describe("state/journal: a cycle that finds everything as recorded", () => {
  it("serializes nothing when its helpers find what they would record already there, and writes when one changes something", async () => {
    const dir = await tempDir("ica-orch-journal-untouched-");
    const path = join(dir.path, "journal.json");
    const first = await openJournal(path);
    first.startManaging("an-1");
    first.classify("an-2", { kind: "ica", outputFolderId: "fol.2" });
    first.recordOutputStatus("an-2", "ARCHIVED");
    first.recordTrashed("ds.1", "dataset");
    first.confirmTrashed("ds.1");
    first.recordRequeueAttempt("an-3", 1, "an-3-requeue-1");
    first.setProtectUnmatched(["b", "a"]);
    first.rememberIdentity("bs-project:P", "1");
    expect(await first.save()).toBe(true);

    const journal = await openJournal(path);
    const serializations = countSerializations(journal);
    journal.startManaging("an-1");
    journal.setStep("an-1", "link");
    journal.recordOutputStatus("an-2", "ARCHIVED");
    journal.confirmTrashed("ds.1");
    journal.forgetTrashed(["ds.absent"]);
    journal.finishManaging("an-absent");
    journal.releaseUndeliverable("an-absent");
    journal.clearIcaDelete("fol.absent");
    journal.clearBasespaceRestore("ds.absent");
    journal.recordRequeueAttempt("an-3", 1, "an-3-requeue-1");
    journal.setProtectUnmatched(["a", "b"]);
    journal.rememberIdentity("bs-project:P", "1");
    expect(await journal.save()).toBe(false);
    expect(serializations()).toBe(0);

    journal.recordOutputStatus("an-2", "DELETED");
    expect(await journal.save()).toBe(true);
    expect(serializations()).toBe(1);
    expect((await openJournal(path)).data.classifications["an-2"]?.outputStatus?.status).toBe("DELETED");
    await dir.cleanup();
  });
});
