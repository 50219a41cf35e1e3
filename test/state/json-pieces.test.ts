import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/state/json-pieces.js";

describe("jsonPieces", () => {
  it("joins to exactly JSON.stringify's text, for any JSON-like value and depth", () => {
    const withOmissions = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant(() => 1));
    const value = fc.dictionary(fc.string(), fc.oneof(withOmissions, fc.dictionary(fc.string(), fc.oneof(withOmissions, fc.dictionary(fc.string(), withOmissions)))));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 50 }), (v, depth, size) => {
        expect(jsonPieces(v, depth, size).join("")).toBe(JSON.stringify(v));
      }),
    );
  });

  it("keeps each piece near its size, so no piece is the whole text", () => {
    const journal = { version: 1, classifications: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`analysis-${i}`, { kind: "ica", at: "2026-12-06T00:00:00.000Z" }])) };
    const pieces = jsonPieces(journal, 2, 4096);
    expect(pieces.join("")).toBe(JSON.stringify(journal));
    expect(pieces.length).toBeGreaterThan(50);
    // An entry is never split, so a piece passes the size by at most one entry.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(4096 + 200);
  });

  it("stringifies what toJSON renders, and a depth of 0 whole", () => {
    const at = new Date("2026-12-06T00:00:00Z");
    expect(jsonPieces({ at, nested: { a: [1, undefined] } }, 3).join("")).toBe(JSON.stringify({ at, nested: { a: [1, undefined] } }));
    expect(jsonPieces({ a: 1 }, 0)).toEqual(['{"a":1}']);
  });
});
