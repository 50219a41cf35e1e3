// The oracle's people-and-replay properties must flag what they claim to (and only that).
import { describe, expect, it } from "vitest";
import type { SeenRequest } from "./api-proxy.js";
import type { World } from "./random-world.js";
import { safetyViolations } from "./safety-oracle.js";

const world = (person: World["person"], emptyTrash: World["settings"]["emptyTrash"] = "own-only"): World => ({
  analyses: [],
  bsItems: [{ kind: "dataset", id: "ds.1", name: "DS-1", projectName: "BSP-Alpha", createdDaysAgo: 0, isArchived: false }],
  person,
  fault: null,
  handTrashed: 0,
  settings: { daysToArchive: null, daysToDelete: 1000, deleteCap: 500, protect: [], basespaceRuns: "none", emptyTrash, dryRun: false },
  secondCycleAfterDays: null,
});
const get = (path: string): SeenRequest => ({ method: "GET", path, body: "" });
const del = (path: string): SeenRequest => ({ method: "DELETE", path, body: "" });
const judge = (w: World, requests: SeenRequest[], personActedAfter: number | null = null) =>
  safetyViolations(w, { requests, loadedAtMs: 0, endedAtMs: 0, data: new Map(), personActedAfter });

describe("safety oracle: people and replays", () => {
  it("flags an own-only purge after a person trashed something by hand, not one before", () => {
    const w = world({ kind: "trash", after: "DELETE /v2/trash", itemId: "ds.1" });
    expect(judge(w, [del("/v2/trash"), get("/v2/trash"), del("/v2/trash")], 0)).toEqual([
      "emptied the trash after a person trashed ds.1 by hand (empty_trash=own-only)",
    ]);
    expect(judge(w, [get("/v2/trash"), del("/v2/trash")], null)).toEqual([]);
    expect(judge(world(w.person, "always"), [del("/v2/trash"), get("/v2/trash"), del("/v2/trash")], 0)).toEqual([]);
  });

  it("flags any action on a dataset a person restored from the trash", () => {
    const w = world({ kind: "restore", after: "DELETE /v2/datasets/{id}", itemId: "ds.1" });
    const restored = "DELETE /v2/datasets/ds.1 on ds.1, which a person had restored from the trash";
    expect(judge(w, [get("/v2/datasets/ds.1"), del("/v2/datasets/ds.1")], -1)).toContain(restored);
    expect(judge(w, [del("/v2/datasets/ds.1"), get("/v2/trash")], 0)).not.toContain(restored);
  });

  it("flags a bulk archive or restore naming a dataset a person trashed before it, not one sent before", () => {
    const w = world({ kind: "trash", after: "DELETE /v2/datasets/{id}", itemId: "ds.1" });
    const archive: SeenRequest = { method: "POST", path: "/v2/archive", body: JSON.stringify({ DatasetIds: ["ds.1"], RunIds: [] }) };
    const restore: SeenRequest = { ...archive, path: "/v2/restore" };
    const trashed = (line: string) => `${line} on ds.1, which a person had moved to the trash`;
    expect(judge(w, [get("/v2/projects/p/datasets"), archive], 0)).toContain(trashed("POST /v2/archive"));
    expect(judge(w, [get("/v2/projects/p/datasets"), restore], -1)).toContain(trashed("POST /v2/restore"));
    expect(judge(w, [archive, get("/v2/trash")], 0).filter((v) => v.includes("moved to the trash"))).toEqual([]);
  });

  it("flags an irreversible request sent again without reading its target in between", () => {
    const w = world(null);
    expect(judge(w, [del("/v2/trash"), get("/v2/datasets"), del("/v2/trash")])).toEqual([
      "DELETE /v2/trash replayed without reading its target again",
    ]);
    expect(judge(w, [del("/v2/trash"), get("/v2/trash"), del("/v2/trash")])).toEqual([]);
  });
});
