import { describe, expect, it } from "vitest";
import { parseBsshOutputProjects } from "../../src/modules/outputs/index.js";

describe("parseBsshOutputProjects", () => {
  it("returns the project names, deduplicated", () => {
    const text = JSON.stringify({ Projects: { a: { Name: "Run_42" }, b: { Name: "Other" }, c: { Name: "Run_42" } }, X: 1 });
    expect(parseBsshOutputProjects(text)).toEqual(["Run_42", "Other"]);
  });

  it("explains what is wrong with a broken file", () => {
    expect(() => parseBsshOutputProjects("{", "/x/bsshoutput.json")).toThrow(/\/x\/bsshoutput.json is not valid JSON/);
    expect(() => parseBsshOutputProjects(JSON.stringify({ Projects: { a: {} } }))).toThrow(/Projects\.a\.Name/);
  });
});
