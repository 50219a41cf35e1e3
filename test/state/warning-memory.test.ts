import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WarningMemory, warningRepeatMs } from "../../src/state/warning-memory.js";

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ica-orch-warnings-"));
  path = join(dir, "warnings.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (ms: number) => new Date(Date.UTC(2025, 10, 21) + ms);
const allowed = () => undefined;

describe("state/warning-memory", () => {
  it("says yes the first time, then once a day, and at once when the warning changes", async () => {
    const { memory, problem } = await WarningMemory.open(path);
    expect(problem).toBeUndefined();
    expect(memory.shouldLog("p|manageNew|held", "a,b", at(0))).toBe(true);
    expect(memory.shouldLog("p|manageNew|held", "a,b", at(600_000))).toBe(false);
    expect(memory.shouldLog("p|manageNew|held", "a,b,c", at(1_200_000))).toBe(true);
    expect(memory.shouldLog("p|manageNew|held", "a,b,c", at(1_200_000 + warningRepeatMs - 1))).toBe(false);
    expect(memory.shouldLog("p|manageNew|held", "a,b,c", at(1_200_000 + warningRepeatMs))).toBe(true);
  });

  it("remembers across cycles, forgets what its pair no longer saw, and leaves other pairs' warnings alone", async () => {
    const first = (await WarningMemory.open(path)).memory;
    first.shouldLog("p|a|gone", "x", at(0));
    first.shouldLog("p|a|stays", "x", at(0));
    first.shouldLog("q|a|other pair", "x", at(0));
    await first.save("p|", allowed);

    const second = (await WarningMemory.open(path)).memory;
    expect(second.shouldLog("p|a|stays", "x", at(600_000))).toBe(false);
    await second.save("p|", allowed);

    const third = (await WarningMemory.open(path)).memory;
    expect(third.shouldLog("p|a|gone", "x", at(1_200_000))).toBe(true); // went away and came back: news
    expect(third.shouldLog("q|a|other pair", "x", at(1_200_000))).toBe(false);
  });

  it("writes nothing when the fence says the lock is lost", async () => {
    const { memory } = await WarningMemory.open(path);
    memory.shouldLog("p|a|w", "x", at(0));
    await expect(memory.save("p|", () => { throw new Error("lock lost"); })).rejects.toThrow("lock lost");
    await expect(readFile(path, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it.each([
    ["not JSON", "{", /is not JSON/],
    ["of another shape", JSON.stringify({ version: 2 }), /has an unknown shape/],
  ])("starts afresh from a file that is %s, saying so", async (_what, text, problem) => {
    await writeFile(path, text);
    const opened = await WarningMemory.open(path);
    expect(opened.problem).toMatch(problem);
    expect(opened.problem).toContain("each warning is logged once more");
    expect(opened.memory.shouldLog("p|a|w", "x", at(0))).toBe(true);
  });
});
