import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ledger } from "../../src/assumptions/index.js";
import { renderAssumptionsMarkdown } from "./render-markdown.js";
import { assumptionIds, assumptionSwitches } from "../../src/simulator/assumption-switches.js";

describe("the assumptions ledger", () => {
  it("is what docs/assumptions.md says, word for word", () => {
    if (process.env.UPDATE_DOCS === "1") writeFileSync("docs/assumptions.md", renderAssumptionsMarkdown());
    expect(readFileSync("docs/assumptions.md", "utf8"), "regenerate with: UPDATE_DOCS=1 npx vitest run test/assumptions/ledger.test.ts").toBe(
      renderAssumptionsMarkdown(),
    );
  });

  it("names each assumption once, with evidence, a consequence and an observable", () => {
    expect(new Set(ledger.map((a) => a.id)).size).toBe(ledger.length);
    for (const a of ledger) {
      for (const field of [a.statement, a.evidence, a.ifFalse, a.observable]) expect(field.trim(), a.id).not.toBe("");
      expect(a.gates.length, a.id).toBeGreaterThan(0);
    }
  });

  it("lists the simulator's alternatives exactly, and the simulator has a switch for every simulated entry", () => {
    const simulated = ledger.filter((a) => a.alternatives.length > 0);
    expect(simulated.map((a) => a.id).sort()).toEqual([...assumptionIds].sort());
    for (const a of simulated) {
      const [, ...others] = Object.keys(assumptionSwitches[a.id as keyof typeof assumptionSwitches].alternatives);
      expect(a.alternatives, a.id).toEqual(others);
    }
  });

  it("covers the beliefs issue 15 names", () => {
    const ids = ledger.map((a) => a.id);
    for (const id of [
      "bs.trash-endpoint",
      "ica.folder-status",
      "ica.multi-value-query",
      "ica.delete-archived",
      "bs.trash-archived",
      "bs.empty-trash",
      "bs.repeated-trash-move",
      "bs.sort-date-created",
      "bs.page-limit",
      "ica.duplicate-path",
      "ica.upload-available",
      "ica.link-keeps-path",
      "ica.source-delete-removes-links",
    ]) {
      expect(ids).toContain(id);
    }
  });
});
