import { describe, expect, it } from "vitest";
import { parseBaseSpaceDate } from "../../src/basespace/dates.js";

describe("parseBaseSpaceDate", () => {
  it("reads .NET 7-digit fractions, 3-digit fractions and none", () => {
    const whole = Date.UTC(2024, 4, 29, 10, 11, 12);
    expect(parseBaseSpaceDate("2024-05-29T10:11:12.1234567Z")).toBe(whole + 123);
    expect(parseBaseSpaceDate("2024-05-29T10:11:12.5Z")).toBe(whole + 500);
    expect(parseBaseSpaceDate("2024-05-29T10:11:12Z")).toBe(whole);
    expect(parseBaseSpaceDate("2024-05-29T10:11:12")).toBe(whole);
  });

  it("applies zone offsets", () => {
    expect(parseBaseSpaceDate("2024-05-29T12:11:12+02:00")).toBe(Date.UTC(2024, 4, 29, 10, 11, 12));
    expect(parseBaseSpaceDate("2024-05-29T05:11:12.000-0500")).toBe(Date.UTC(2024, 4, 29, 10, 11, 12));
  });

  it("rejects what is not a real date", () => {
    for (const bad of ["", "yesterday", "2024-02-31T00:00:00Z", "2024-05-29 10:11:12", "2024-05-29T25:00:00Z"]) {
      expect(parseBaseSpaceDate(bad)).toBeUndefined();
    }
  });
});
