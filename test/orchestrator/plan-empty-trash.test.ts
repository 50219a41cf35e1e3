import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gateBasespaceScopes, requiredBasespaceScopes } from "../../src/orchestrator/plan/basespace-scopes.js";
import { deletionBudget } from "../../src/orchestrator/plan/cap.js";
import { emptyTrashModes } from "../../src/config/index.js";
import { decideEmptyTrash, type EmptyTrashPlanInput, type TrashEntry } from "../../src/orchestrator/plan/plan-empty-trash.js";
import { compileProtectList, emptyProtectList } from "../../src/orchestrator/plan/protect.js";

const scopes = gateBasespaceScopes([...requiredBasespaceScopes]);
const ours = { datasetIds: new Set(["ds.1", "ds.2"]), runIds: new Set(["10"]) };
const entry = (kind: TrashEntry["kind"], itemId: string | null, name = `n-${itemId}`): TrashEntry => ({
  trashId: `t-${kind}-${itemId}`,
  name,
  kind,
  itemId,
  sizeBytes: 100,
});

function decide(trash: TrashEntry[], overrides: Partial<EmptyTrashPlanInput> = {}) {
  return decideEmptyTrash({
    mode: "own-only",
    trash,
    trashedByUs: ours,
    protect: emptyProtectList,
    scopes,
    budget: deletionBudget(500),
    ...overrides,
  });
}

describe("orchestrator/plan/empty-trash", () => {
  it("own-only empties a trash holding only what this tool put there", () => {
    const d = decide([entry("dataset", "ds.1"), entry("run", "10")]);
    expect(d.empty).toBe(true);
    expect(d.item).toMatchObject({
      action: "empty-trash",
      target: { kind: "bs-trash", id: "trash" },
      sizeBytes: 200,
      reason: "all 2 item(s) were put there by this tool",
    });
    expect(d.warning).toBeNull();
  });

  it("own-only refuses when anything else is in the trash and lists the others", () => {
    const d = decide([
      entry("dataset", "ds.1"),
      entry("run", "ds.1"), // a run id equal to one of our dataset ids is still not ours
      entry("other", null, "Old project"),
    ]);
    expect(d.empty).toBe(false);
    expect(d.foreign.map((f) => f.name)).toEqual(["n-ds.1", "Old project"]);
    expect(d.item?.action).toBe("skip");
    expect(d.warning).toBe(
      "BaseSpace trash not emptied: 2 item(s) in it were not put there by this tool; empty it by hand or set empty_trash to always: " +
        "n-ds.1 (run ds.1), Old project (other t-other-null)",
    );
  });

  it("lists at most ten others", () => {
    const d = decide(Array.from({ length: 13 }, (_, i) => entry("dataset", `x${i}`)));
    expect(d.warning).toMatch(/n-x9 \(dataset x9\) and 3 more$/);
  });

  it("always empties a non-empty trash, never never does, an empty trash is left alone", () => {
    const foreign = [entry("dataset", "someone-else")];
    expect(decide(foreign, { mode: "always" })).toMatchObject({ empty: true, item: { reason: "empty_trash=always: 1 item(s), 1 not put there by this tool" } });
    expect(decide([entry("dataset", "ds.1")], { mode: "never" })).toMatchObject({ empty: false, item: null, warning: null });
    expect(decide([], { mode: "always" })).toMatchObject({ empty: false, item: null });
  });

  it("does not empty without the EMPTY TRASH scope, with a cap of 0, or with a protected item inside", () => {
    const trash = [entry("dataset", "ds.1")];
    const noScope = decide(trash, { scopes: gateBasespaceScopes(["READ GLOBAL", "BROWSE GLOBAL", "MOVETOTRASH GLOBAL", "WRITE GLOBAL"]) });
    expect(noScope.item).toMatchObject({ action: "skip-scope", reason: "BaseSpace token lacks scope EMPTY TRASH; would empty the trash" });
    expect(decide(trash, { budget: deletionBudget(0) }).item?.action).toBe("skip-cap");
    const guarded = decide([entry("dataset", "keep")], { mode: "always", protect: compileProtectList(["n-ke*"]) });
    expect(guarded.empty).toBe(false);
    expect(guarded.item?.action).toBe("skip-protected");
    expect(guarded.warning).toMatch(/holds protected item\(s\); .*: n-keep \(dataset keep\)$/);
  });

  it("safety: own-only never empties a trash with a foreign item; nothing empties with a protected one", () => {
    const entryArb = fc.record({
      kind: fc.constantFrom("dataset", "run", "other"),
      itemId: fc.option(fc.constantFrom("ds.1", "ds.2", "ds.3", "10", "11"), { nil: null }),
      name: fc.constantFrom("a", "b", "keep-1"),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...emptyTrashModes),
        fc.array(entryArb, { maxLength: 8 }),
        fc.subarray(["ds.1", "ds.2", "ds.3"]),
        fc.subarray(["10", "11"]),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (mode, raw, datasetIds, runIds, protectKeep, cap) => {
          const trash = raw.map((r, i): TrashEntry => ({ trashId: `t${i}`, name: r.name, kind: r.kind, itemId: r.itemId }));
          const mine = { datasetIds: new Set(datasetIds), runIds: new Set(runIds) };
          const d = decideEmptyTrash({
            mode,
            trash,
            trashedByUs: mine,
            protect: protectKeep ? compileProtectList(["keep-*"]) : emptyProtectList,
            scopes,
            budget: deletionBudget(cap),
          });
          const isMine = (e: TrashEntry) =>
            e.itemId !== null && ((e.kind === "dataset" && mine.datasetIds.has(e.itemId)) || (e.kind === "run" && mine.runIds.has(e.itemId)));
          expect(d.foreign).toEqual(trash.filter((e) => !isMine(e)));
          if (d.empty) {
            expect(mode).not.toBe("never");
            expect(trash.length).toBeGreaterThan(0);
            expect(cap).toBeGreaterThan(0);
            if (mode === "own-only") expect(trash.every(isMine)).toBe(true);
            if (protectKeep) expect(trash.some((e) => e.name === "keep-1")).toBe(false);
          }
          expect(d.empty).toBe(d.item?.action === "empty-trash");
        },
      ),
      { numRuns: 1000 },
    );
  });
});
