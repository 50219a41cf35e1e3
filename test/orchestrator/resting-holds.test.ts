import { describe, expect, it } from "vitest";
import { deliveryHolds, type ListedCycle } from "../../src/orchestrator/cycle-facts.js";
import { restingHolds, selectionFingerprint } from "../../src/orchestrator/plan/resting-holds.js";
import type { JournalData } from "../../src/state/index.js";

const settings = { fastqPattern: /^M/, fastqSuffixes: [".fastq.gz", ".fastq.ora"] };
const fingerprint = selectionFingerprint(settings);
const now = new Date("2026-12-06T12:00:00Z");
const hold = (over: Partial<JournalData["undeliverable"][string]>): JournalData["undeliverable"][string] => ({
  runId: "RUN",
  reason: "no-fastq",
  detail: "no MGI FASTQ",
  since: "2026-12-01T00:00:00.000Z",
  selection: fingerprint,
  checkedAt: "2026-12-06T00:00:00.000Z",
  ...over,
});

describe("resting holds: an analysis without MGI FASTQ is not listed again every cycle", () => {
  it("rests while the FASTQ settings stand and a day has not passed since the last look", () => {
    expect([...restingHolds({ a: hold({}) }, fingerprint, now)]).toEqual(["a"]);
  });

  it("is looked at again a day after the last look, under other FASTQ settings, without a record of either, or when a FASTQ went missing", () => {
    const holds = {
      day: hold({ checkedAt: "2026-12-05T11:59:59.000Z" }),
      pattern: hold({ selection: selectionFingerprint({ ...settings, fastqPattern: /^MGI/ }) }),
      suffixes: hold({ selection: selectionFingerprint({ ...settings, fastqSuffixes: [".fastq.gz"] }) }),
      old: hold({ selection: undefined, checkedAt: undefined }),
      missing: hold({ reason: "missing-fastq" }),
    };
    expect([...restingHolds(holds, fingerprint, now)]).toEqual([]);
  });

  it("does not depend on the order the suffixes are written in", () => {
    expect(selectionFingerprint({ ...settings, fastqSuffixes: [".fastq.ora", ".fastq.gz"] })).toBe(fingerprint);
  });
});

describe("a resting hold still keeps its output folder from archive and delete", () => {
  it("is among the cycle's delivery holds although it is not a candidate this cycle", () => {
    const cycle = {
      newAnalyses: { toManage: [], resting: [{ id: "a-resting", reference: "RUN_A" }] },
      delivered: new Set<string>(),
      settings: { minDaysAfterDelivery: 7 },
      journal: { data: { delivered: {} } },
      now,
    } as unknown as ListedCycle;
    expect(deliveryHolds(cycle).get("a-resting")).toMatch(/^held: no MGI FASTQ/);
  });
});
