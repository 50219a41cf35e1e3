import { describe, expect, it } from "vitest";
import type { TestCase, TestModule } from "vitest/node";
import { skipLines, skipReason } from "./skip-reasons-reporter.js";

type Skipped = Pick<TestCase, "fullName" | "result">;

const skipped = (fullName: string, note?: string): Skipped => ({
  fullName,
  result: () => ({ state: "skipped", errors: undefined, note }),
});

const moduleOf = (relativeModuleId: string, tests: Skipped[]) =>
  ({ relativeModuleId, children: { allTests: () => tests.values() } }) as unknown as Pick<TestModule, "relativeModuleId" | "children">;

describe("the skip-reasons reporter", () => {
  it("takes the reason from the note, else from the suite's or the test's title", () => {
    expect(skipReason(skipped("suite > test", "no network here"))).toBe("no network here");
    expect(skipReason(skipped("ICA contract — skipped: /x/openapi.yaml is missing > lists projects"))).toBe("/x/openapi.yaml is missing");
    expect(skipReason(skipped("bad input > unreadable key: exit 2 (skipped: running as root)"))).toBe("running as root");
    expect(skipReason(skipped("suite > a test that says nothing"))).toBeUndefined();
  });

  it("prints one line per file and reason, and names a test that gives none", () => {
    const contract = moduleOf("test/contract/ica.test.ts", [
      skipped("ICA contract — skipped: spec missing > one"),
      skipped("ICA contract — skipped: spec missing > two"),
    ]);
    const other = moduleOf("test/other.test.ts", [skipped("suite > quiet one")]);
    expect(skipLines([contract, other])).toEqual([
      "  ↓ test/contract/ica.test.ts: 2 tests skipped: spec missing",
      "  ↓ test/other.test.ts: 1 test skipped: no reason given (suite > quiet one)",
    ]);
  });
});
