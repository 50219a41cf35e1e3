import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LedgerState } from "../../src/assumptions/index.js";

describe("LedgerState: what one cycle saw", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ledger-state-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const now = new Date("2026-01-01T00:00:00Z");

  it("lists each contradiction seen once (first evidence), and as news only those not standing before", async () => {
    const first = await LedgerState.load(dir);
    first.contradict({ assumption: "ica.folder-status", evidence: "folder /a/" }, now);
    first.contradict({ assumption: "ica.folder-status", evidence: "folder /b/" }, now);
    expect(first.contradictionsSeen()).toEqual([{ assumption: "ica.folder-status", evidence: "folder /a/" }]);
    expect(first.newlyContradicted()).toEqual(first.contradictionsSeen());
    await first.save(() => undefined);

    const next = await LedgerState.load(dir);
    next.contradict({ assumption: "ica.folder-status", evidence: "folder /c/" }, now);
    next.contradict({ assumption: "bs.sort-date-created", evidence: "ds.2 after ds.3" }, now);
    expect(next.contradictionsSeen().map((c) => c.assumption)).toEqual(["ica.folder-status", "bs.sort-date-created"]);
    expect(next.newlyContradicted()).toEqual([{ assumption: "bs.sort-date-created", evidence: "ds.2 after ds.3" }]);
    // The standing entry keeps its first evidence.
    expect(next.of("ica.folder-status")?.evidence).toBe("folder /a/");
  });
});
