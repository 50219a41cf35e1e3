import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  ageInDays,
  analysisAgeDays,
  classifyAge,
  isAged,
  lifecycleWindows,
  parseTimestamp,
} from "../../src/orchestrator/plan/age.js";

const now = new Date("2025-06-01T12:00:00.000Z");
const windows = lifecycleWindows(60, 90);
const noArchive = lifecycleWindows(null, 90);

/** `days` × 24 h plus `deltaMs` before now (not calendar days: those vary with DST in local zones). */
function windowAt(days: number, deltaMs: number, w = windows) {
  return classifyAge(ageInDays(new Date(now.getTime() - days * DAY_MS - deltaMs), now), w);
}

describe("orchestrator/plan/age", () => {
  it.each([
    [59, 0, "young"],
    [60, -1, "young"],
    [60, 0, "archive"],
    [60, 1, "archive"],
    [61, 0, "archive"],
    [89, 0, "archive"],
    [90, -1, "archive"],
    [90, 0, "delete"],
    [90, 1, "delete"],
    [91, 0, "delete"],
  ] as const)("%i days %+i ms old is %s with windows 60/90", (days, deltaMs, expected) => {
    expect(windowAt(days, deltaMs)).toBe(expected);
  });

  it.each([
    [59, 0, "young"],
    [61, 0, "young"],
    [90, -1, "young"],
    [90, 0, "delete"],
    [91, 0, "delete"],
  ] as const)("with archiving off, %i days %+i ms old is %s", (days, deltaMs, expected) => {
    expect(windowAt(days, deltaMs, noArchive)).toBe(expected);
  });

  it("counts exact 24 h days across a DST change, whatever the local zone", () => {
    const saved = process.env.TZ;
    process.env.TZ = "Europe/Berlin"; // DST switch on 2025-03-30
    try {
      expect(ageInDays("2025-03-29T12:00:00", "2025-03-31T12:00:00")).toBe(2);
      expect(ageInDays("2025-03-29", "2025-03-31")).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("treats a start in the future as young", () => {
    expect(classifyAge(ageInDays("2025-06-02T00:00:00Z", now), windows)).toBe("young");
  });

  it("ages an analysis from startDate, or from timeCreated when it never started", () => {
    const timeCreated = "2025-03-01T12:00:00Z";
    expect(analysisAgeDays({ startDate: "2025-04-01T12:00:00Z", timeCreated }, now)).toBe(61);
    expect(analysisAgeDays({ startDate: null, timeCreated }, now)).toBe(92);
  });

  it("parses BaseSpace 7-digit fractions and zone-less timestamps as UTC", () => {
    expect(parseTimestamp("2024-05-29T10:11:12.1234567Z").toISOString()).toBe("2024-05-29T10:11:12.123Z");
    expect(parseTimestamp("2024-05-29T10:11:12.1234567").toISOString()).toBe("2024-05-29T10:11:12.123Z");
    expect(parseTimestamp("2024-05-29T10:11:12+02:00").toISOString()).toBe("2024-05-29T08:11:12.000Z");
    expect(parseTimestamp("2024-05-29").toISOString()).toBe("2024-05-29T00:00:00.000Z");
    expect(() => parseTimestamp("yesterday")).toThrow(/invalid timestamp 'yesterday'/);
    expect(() => parseTimestamp(new Date(Number.NaN))).toThrow(/invalid timestamp Invalid Date: expected a valid Date or epoch milliseconds/);
    expect(parseTimestamp(Date.UTC(2024, 4, 29)).toISOString()).toBe("2024-05-29T00:00:00.000Z");
    expect(ageInDays(Date.UTC(2024, 4, 29), Date.UTC(2024, 4, 30, 12))).toBe(1.5);
  });

  it("validates the windows with errors that say what to change", () => {
    expect(() => lifecycleWindows(91, 90)).toThrow(/days_to_archive \(91\) must not exceed days_to_delete \(90\)/);
    expect(() => lifecycleWindows(0, 90)).toThrow(/days_to_archive must be a positive/);
    expect(() => lifecycleWindows(60, 0)).toThrow(/days_to_delete must be a positive/);
    expect(lifecycleWindows(90, 90)).toEqual({ daysToArchive: 90, daysToDelete: 90 });
  });

  it("isAged starts at days_to_archive, or at days_to_delete when archiving is off", () => {
    expect(isAged(60, windows)).toBe(true);
    expect(isAged(59.999, windows)).toBe(false);
    expect(isAged(89, noArchive)).toBe(false);
    expect(isAged(90, noArchive)).toBe(true);
  });

  it("never moves data to an earlier window as it gets older", () => {
    const rank = { young: 0, archive: 1, delete: 2 } as const;
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: -10, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, d, age, extra) => {
          const w = lifecycleWindows(a === null ? null : Math.min(a, d), d);
          expect(rank[classifyAge(age + extra, w)]).toBeGreaterThanOrEqual(rank[classifyAge(age, w)]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
