import { describe, expect, it } from "vitest";
import type { CanaryEntry, CanaryKind } from "../../src/assumptions/canaries.js";
import { gateByCanary } from "../../src/orchestrator/plan/canary-gate.js";
import { cheapPathFirst } from "../../src/orchestrator/plan/cheap-path.js";
import type { PlanItem } from "../../src/orchestrator/plan/plan-types.js";

const item = (id: string, action: PlanItem["action"], reason = "age 100.0 d"): PlanItem => ({
  step: "icaLifecycle",
  action,
  target: { kind: "ica-folder", id, path: `/${id}/` },
  reason,
});
const kindOf = (i: PlanItem): CanaryKind | undefined => (i.action === "archive" || i.action === "delete" ? `ica-${i.action}` : undefined);
const gate = (items: PlanItem[], canaries: Partial<Record<CanaryKind, CanaryEntry>>, enabled = true) =>
  gateByCanary(items, { enabled, canaryOf: (kind) => canaries[kind], kindOf }).map((i) => `${i.target.id} ${i.action}: ${i.reason}`);
const entry = (state: CanaryEntry["state"]): CanaryEntry => ({ state, at: "2025-06-01T00:00:00.000Z", evidence: "seen", item: { id: "x", label: "/x/" } });

describe("gateByCanary", () => {
  const items = [item("a", "archive"), item("b", "archive"), item("c", "delete"), item("d", "wait")];

  it("lets the first item of a kind never done go, holds the rest with the count, and leaves other kinds and passive items alone", () => {
    expect(gate(items, {})).toEqual([
      "a archive: age 100.0 d; canary: 1 of 2 ica-archive, rest after confirmation",
      "b wait: canary: 1 of 2 ica-archive, rest after confirmation; would archive",
      "c delete: age 100.0 d; canary: 1 of 1 ica-delete, rest after confirmation",
      "d wait: age 100.0 d",
    ]);
  });

  it("holds a kind whose canary awaits read-back, stops a contradicted one naming the ack, passes a confirmed one", () => {
    expect(gate(items, { "ica-archive": entry("applied"), "ica-delete": entry("contradicted") })).toEqual([
      "a wait: canary: ica-archive seen 2025-06-01T00:00:00.000Z; the rest after its confirmation; would archive",
      "b wait: canary: ica-archive seen 2025-06-01T00:00:00.000Z; the rest after its confirmation; would archive",
      "c skip: canary of ica-delete contradicted 2025-06-01T00:00:00.000Z (seen); stopped until `ica-orchestrator ack ica-delete`; would delete",
      "d wait: age 100.0 d",
    ]);
    expect(gate(items, { "ica-archive": entry("confirmed"), "ica-delete": entry("confirmed") })).toEqual(gate(items, {}, false));
  });
});

describe("cheapPathFirst", () => {
  const restores = [item("a", "unarchive", "age 100.0 d; ARCHIVED: unarchive now, delete in a later cycle"), item("b", "unarchive", "age 99.0 d; ARCHIVED: unarchive now, delete in a later cycle")];
  const input = { restore: "unarchive", remove: "delete", assumption: "ica.delete-archived" } as const;

  it("asks with one removal of archived data while the answer is unknown; the rest wait for it", () => {
    const { items, removedArchived } = cheapPathFirst(restores, { ...input, answer: undefined });
    expect(items.map((i) => `${i.action}: ${i.reason}`)).toEqual([
      "delete: age 100.0 d; ARCHIVED; delete tried as it is first: unarchive only if the service refuses it (ica.delete-archived)",
      "wait: age 99.0 d; ARCHIVED: unarchive now, delete in a later cycle; waits for the answer to the first delete of archived data (ica.delete-archived)",
    ]);
    expect([...removedArchived]).toEqual(["a"]);
  });

  it("pays once the service refused, never once it allowed", () => {
    expect(cheapPathFirst(restores, { ...input, answer: "refused" }).items).toEqual(restores);
    expect(cheapPathFirst(restores, { ...input, answer: "allowed" }).items.map((i) => i.action)).toEqual(["delete", "delete"]);
  });
});
