import { describe, expect, it } from "vitest";
import { buildQuery, expandPath } from "../../src/http/path-template.js";

describe("expandPath", () => {
  it("percent-encodes values so an id cannot change the route", () => {
    expect(expandPath("/api/projects/{projectId}/data/{dataId}:archive", { projectId: "p/1", dataId: "fil.1" })).toBe(
      "/api/projects/p%2F1/data/fil.1:archive",
    );
    expect(() => expandPath("/api/projects/{projectId}", {})).toThrow(/missing path parameter \{projectId\}/);
  });
});

describe("buildQuery", () => {
  it("repeats array parameters (OpenAPI form/explode) and drops undefined", () => {
    expect(buildQuery({ filePath: ["/a/", "/b/"], type: "FILE", pageSize: 1000, x: undefined }).toString()).toBe(
      "filePath=%2Fa%2F&filePath=%2Fb%2F&type=FILE&pageSize=1000",
    );
  });
});
