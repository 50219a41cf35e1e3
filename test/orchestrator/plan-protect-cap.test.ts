import { describe, expect, it } from "vitest";
import { applyDeletionCap, capWarning, deletionBudget } from "../../src/orchestrator/plan/cap.js";
import type { PlanItem } from "../../src/orchestrator/plan/plan-types.js";
import { compileProtectList } from "../../src/orchestrator/plan/protect.js";

describe("orchestrator/plan/protect", () => {
  const list = compileProtectList(["fol.123", "/ilmn-analyses/2024*", "run_??", "a.b+c"]);

  it("matches ids exactly and names by glob, ignoring case", () => {
    expect(list.match(["fol.123"])).toBe("fol.123");
    expect(list.match(["fol.1234"])).toBeNull();
    expect(list.match(["FOL.123"])).toBe("fol.123");
    expect(list.match(["/ilmn-analyses/20240529_x/output/a.fastq.gz"])).toBe("/ilmn-analyses/2024*");
    expect(list.match(["run_42"])).toBe("run_??");
    expect(list.match(["run_4"])).toBeNull();
    expect(list.match(["a.b+c"])).toBe("a.b+c");
    expect(list.match(["aXb+c", "a.bbc"])).toBeNull();
  });

  it("tries folder paths with and without the trailing slash and ignores empty keys", () => {
    const folders = compileProtectList(["/ilmn-analyses/ref-1"]);
    expect(folders.match([undefined, null, "", "/ilmn-analyses/ref-1/"])).toBe("/ilmn-analyses/ref-1");
    expect(compileProtectList(["/x/"]).match(["/x/"])).toBe("/x/");
  });

  it("rejects an empty entry with a message that says what to do", () => {
    expect(() => compileProtectList(["ok", "  "])).toThrow(/protect list has an empty entry; remove it/);
  });
});

describe("orchestrator/plan/cap", () => {
  const item = (action: PlanItem["action"], id: string): PlanItem => ({
    step: "icaLifecycle",
    action,
    target: { kind: "ica-folder", id },
    reason: "r",
  });

  it("spends the budget in order on capped actions only", () => {
    const out = applyDeletionCap(
      [item("delete", "a"), item("archive", "b"), item("unarchive", "c"), item("delete", "d"), item("wait", "e")],
      deletionBudget(2),
    );
    expect(out.items.map((i) => `${i.action}:${i.target.id}`)).toEqual(["delete:a", "archive:b", "unarchive:c", "skip-cap:d", "wait:e"]);
    expect(out.items[3]?.reason).toBe("delete cap of 2 reached this cycle; would delete: r");
    expect(out).toMatchObject({ budget: { cap: 2, remaining: 0 }, deferred: 1 });
  });

  it("validates the cap and words the warnings", () => {
    expect(() => deletionBudget(-1)).toThrow(/whole number ≥ 0 \(0 = no deletions\), got -1/);
    expect(() => deletionBudget(1.5)).toThrow(/got 1.5/);
    expect(capWarning(0, 5, "X")).toBeNull();
    expect(capWarning(3, 5, "X")).toBe("X: delete cap of 5 per cycle reached; 3 item(s) wait for the next cycle");
    expect(capWarning(3, 0, "X")).toBe("X: deletions are off (delete cap 0); 3 item(s) past days_to_delete left as they are");
  });
});
