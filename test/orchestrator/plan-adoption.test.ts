import { describe, expect, it } from "vitest";
import { lifecycleWindows } from "../../src/orchestrator/plan/age.js";
import { describeOld, planAdoption } from "../../src/orchestrator/plan/adoption.js";

const now = "2026-06-01T00:00:00Z";
const analysis = (id: string, createdDaysAgo: number) => ({
  id,
  reference: `run-${id}`,
  startDate: null,
  timeCreated: new Date(Date.parse(now) - createdDaysAgo * 86_400_000).toISOString(),
});
const windows = lifecycleWindows(60, 90);
const young = analysis("y", 59.9);
const old = analysis("o", 60);

describe("planAdoption", () => {
  it("refuses an empty table with an analysis older than days_to_archive, naming only the old ones", () => {
    expect(planAdoption({ tableRows: 0, candidates: [young, old], mode: undefined, windows, now })).toEqual({ kind: "refuse", old: [old] });
  });
  it("takes the mode the operator chose", () => {
    expect(planAdoption({ tableRows: 0, candidates: [old], mode: "record", windows, now })).toEqual({ kind: "record", old: [old] });
    expect(planAdoption({ tableRows: 0, candidates: [old], mode: "deliver", windows, now })).toEqual({ kind: "deliver", old: [old] });
  });
  it("stays quiet when the table has rows or nothing is older than days_to_archive", () => {
    expect(planAdoption({ tableRows: 1, candidates: [old], mode: undefined, windows, now })).toEqual({ kind: "none" });
    expect(planAdoption({ tableRows: 0, candidates: [young], mode: undefined, windows, now })).toEqual({ kind: "none" });
  });
  it("with archiving off, days_to_delete is the line", () => {
    const off = lifecycleWindows(null, 90);
    expect(planAdoption({ tableRows: 0, candidates: [old], mode: undefined, windows: off, now })).toEqual({ kind: "none" });
    const older = analysis("d", 90);
    expect(planAdoption({ tableRows: 0, candidates: [older], mode: undefined, windows: off, now })).toEqual({ kind: "refuse", old: [older] });
  });
  it("names the first few and counts the rest", () => {
    const many = Array.from({ length: 12 }, (_, i) => analysis(String(i), 70));
    expect(describeOld(many, 2)).toBe("run-0 (0), run-1 (1) and 10 more");
  });
});
