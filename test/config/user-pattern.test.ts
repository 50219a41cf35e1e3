import { describe, expect, it } from "vitest";
import { compileLinear, compileUserPattern, UnsupportedPatternError } from "../../src/config/user-pattern.js";

describe("user patterns run in linear time with JavaScript's syntax", () => {
  it("keeps what users write: a bare body, /body/flags, anchors, classes, i/s/m", () => {
    const startsWithM = compileUserPattern("^M");
    expect(["M1_S1_R1.fastq.gz", "xM.fastq.gz", "m1.fastq.gz"].map((name) => startsWithM.test(name))).toEqual([true, false, false]);
    expect(String(startsWithM)).toBe("/^M/");
    const bcl = compileUserPattern("/bcl.*convert/i");
    expect(["BclConvert", "BCL-CONVERT_v4", "bcl2fastq"].map((code) => bcl.test(code))).toEqual([true, true, false]);
    expect(String(bcl)).toBe("/bcl.*convert/i");
    expect(compileUserPattern(String.raw`/^\d{6}_[A-Z]+\/run$/`).test("250101_VH/run")).toBe(true);
    expect(compileUserPattern("/a.b/s").test("a\nb")).toBe(true);
    expect(compileUserPattern("/a.b/").test("a\nb")).toBe(false);
    expect(compileUserPattern("/^b$/m").test("a\nb")).toBe(true);
    expect(compileUserPattern("^b$").test("a\nb")).toBe(false);
  });

  it("answers at once where a backtracking engine would take hours", () => {
    expect(compileUserPattern("^(a+)+$").test(`${"a".repeat(50_000)}b`)).toBe(false);
    // The protect glob `*?*?*?*?*?*?*?*?!`: a RegExp needs seconds for 40 characters, and grows exponentially.
    expect(compileLinear(`^${".*.".repeat(8)}!$`, "is").test("x".repeat(10_000))).toBe(false);
  });

  it("refuses lookarounds and backreferences with the fix, and JavaScript's own errors with its message", () => {
    for (const text of ["(?=M)M", "(?<!x)M", String.raw`(M)\1`]) {
      expect(() => compileUserPattern(text)).toThrow(UnsupportedPatternError);
      expect(() => compileUserPattern(text)).toThrow(/rewrite the pattern without them/);
    }
    expect(() => compileUserPattern("/M/g")).toThrow(/flags g and y are not allowed/);
    expect(() => compileUserPattern("(M")).toThrow(/Unterminated group/);
  });
});
