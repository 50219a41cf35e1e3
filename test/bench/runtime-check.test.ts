import { describe, expect, it } from "vitest";
import { nodeProblem } from "../../bench/runtime-check.js";

describe("the bench's Node", () => {
  it("is refused below the tool's engines, naming them and how to get a Node that fits", () => {
    const problem = nodeProblem("v20.20.2");
    expect(problem).toContain("Node v20.20.2 is outside the tool's engines (>=22.12)");
    expect(problem).toContain("npm install --prefix /tmp/node24 node@24");
  });

  it("is accepted within them", () => {
    expect(nodeProblem("v22.12.0")).toBeUndefined();
    expect(nodeProblem("v24.21.0")).toBeUndefined();
  });
});
