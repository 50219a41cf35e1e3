import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/state/json-pieces.js";

const withOmissions = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant(() => 1));
// A state file or report is an object or an array at the top (JSON.stringify(undefined) is no text).
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, withOmissions, tie("object"), tie("array")),
  object: fc.dictionary(fc.string(), tie("value")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  top: fc.oneof(tie("object"), tie("array")),
})).top;

describe("jsonPieces", () => {
  it("joins to exactly JSON.stringify's text, for any JSON-like value, depth and indentation", () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 2, 4), (v, depth, pieceChars, indent) => {
        expect([...jsonPieces(v, depth, { pieceChars, indent })].join("")).toBe(JSON.stringify(v, null, indent));
      }),
    );
  });

  it("renders holes and omitted entries of arrays as null", () => {
    // eslint-disable-next-line no-sparse-arrays
    const value = { a: [1, , undefined, () => 2, { b: [] }, {}] };
    for (const indent of [0, 2]) expect([...jsonPieces(value, 3, { indent })].join("")).toBe(JSON.stringify(value, null, indent));
  });

  it("keeps each piece near its size, so no piece is the whole text", () => {
    const journal = { version: 1, classifications: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`analysis-${i}`, { kind: "ica", at: "2026-12-06T00:00:00.000Z" }])) };
    const pieces = [...jsonPieces(journal, 2, { pieceChars: 4096 })];
    expect(pieces.join("")).toBe(JSON.stringify(journal));
    expect(pieces.length).toBeGreaterThan(50);
    // An entry is never split, so a piece passes the size by at most one entry.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(4096 + 200);
  });

  it("takes a report's long list of items apart too", () => {
    const report = { plan: { steps: [{ items: Array.from({ length: 2000 }, (_, i) => ({ id: `item-${i}`, reason: "kept ≥ 90 days" })) }] } };
    const pieces = [...jsonPieces(report, 5, { pieceChars: 4096, indent: 2 })];
    expect(pieces.join("")).toBe(JSON.stringify(report, null, 2));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(4096 + 200);
  });

  it("stringifies what toJSON renders, and a depth of 0 whole", () => {
    const at = new Date("2026-12-06T00:00:00Z");
    expect([...jsonPieces({ at, nested: { a: [1, undefined] } }, 3)].join("")).toBe(JSON.stringify({ at, nested: { a: [1, undefined] } }));
    expect([...jsonPieces({ a: 1 }, 0)]).toEqual(['{"a":1}']);
  });
});
