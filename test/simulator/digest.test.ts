import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { stateDigest } from "../../src/simulator/digest.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("stateDigest", () => {
  it("hashes sorted-keys JSON, so key order never changes the digest", () => {
    expect(stateDigest({ b: 1, a: { d: [1, "x"], c: null } })).toBe(sha256('{"a":{"c":null,"d":[1,"x"]},"b":1}'));
    expect(stateDigest({ a: { c: null, d: [1, "x"] }, b: 1 })).toBe(stateDigest({ b: 1, a: { d: [1, "x"], c: null } }));
  });

  it("writes rows of primitives as JSON does (undefined as null) and still sorts objects inside arrays", () => {
    expect(stateDigest([["fil.1", "/a", undefined, 3, true, null]])).toBe(sha256('[["fil.1","/a",null,3,true,null]]'));
    expect(stateDigest([{ z: 1, y: [undefined, { b: 2, a: 1 }] }])).toBe(sha256('[{"y":[null,{"a":1,"b":2}],"z":1}]'));
  });

  it("leaves undefined object members out, as JSON does", () => {
    expect(stateDigest({ a: undefined, b: 1 })).toBe(sha256('{"b":1}'));
  });
});
