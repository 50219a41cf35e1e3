import { describe, expect, it } from "vitest";
import type { Settings } from "../../src/config/index.js";
import { openJournal, readManagedTable, statePaths } from "../../src/state/index.js";
import { cycleAt, cycleSettings, LogSink, simulatorPerTest, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

/** Rounds of two: the demo's new analyses take several. */
const manageRoundSize = 2;

/** A log sink that requests a shutdown once the first round of new analyses is recorded. */
class AbortAfterFirstRound extends LogSink {
  readonly controller = new AbortController();
  override _write(chunk: Buffer, encoding: string, done: () => void): void {
    if (chunk.toString().includes("round 1 of ")) this.controller.abort();
    super._write(chunk, encoding, done);
  }
}

describe("manageNew in rounds", () => {
  const test = simulatorPerTest();
  const now = () => new Date(test.sim().clock.now());
  const tableIds = async (settings: Settings) => (await readManagedTable(settings.managedTablePath)).rows.map((row) => row.analysisId);
  const journal = async () => (await openJournal(statePaths(test.stateDir()).journal)).data;
  /** What one round-less first cycle records: the same simulator state, another state directory. */
  const deliveredAtOnce = async (): Promise<string[]> => {
    const other = await startCycleSimulator();
    const otherState = await tempStateDir();
    try {
      const settings = cycleSettings(other, otherState.dir);
      await cycleAt(() => new Date(other.clock.now()), settings);
      return (await tableIds(settings)).sort();
    } finally {
      await other.stop();
      await otherState.remove();
    }
  };

  it("a first cycle with more new analyses than one round delivers them all, round by round, one table row each", async () => {
    const settings = cycleSettings(test.sim(), test.stateDir());
    const sink = new LogSink();
    const report = await cycleAt(now, settings, sink, undefined, { manageRoundSize });
    expect(report.outcome).toBe("ok");
    const rounds = [...sink.text.matchAll(/round (\d+) of (\d+): (\d+) of (\d+) new analyses recorded/g)];
    expect(rounds.length).toBeGreaterThan(2);
    expect(rounds.map((m) => Number(m[1]))).toEqual(rounds.map((_, i) => i + 1));
    expect(rounds.every((m) => Number(m[4]) <= manageRoundSize)).toBe(true);
    const ids = await tableIds(settings);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rounds.reduce((sum, m) => sum + Number(m[3]), 0)).toBe(ids.length);
    expect([...ids].sort()).toEqual(await deliveredAtOnce());
    expect((await journal()).managing).toEqual({});
  });

  it("a shutdown between rounds keeps the rows and journal of the rounds done; the next cycle delivers the rest once", async () => {
    const settings = cycleSettings(test.sim(), test.stateDir());
    const sink = new AbortAfterFirstRound();
    const report = await cycleAt(now, settings, sink, sink.controller.signal, { manageRoundSize });
    expect(report.outcome).toBe("aborted");
    const manageWarnings = report.steps.find((step) => step.name === "manageNew")?.warnings ?? [];
    expect(manageWarnings.some((w) => /^shutdown requested: \d+ of \d+ round\(s\) of new analyses left for the next cycle$/.test(w))).toBe(true);
    const early = await tableIds(settings);
    const all = await deliveredAtOnce();
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(all.length);
    // Each analysis recorded has its delivery time in the journal (min_days_after_delivery counts from it).
    const delivered = (await journal()).delivered;
    expect(early.every((id) => delivered[id] !== undefined)).toBe(true);

    const next = await cycleAt(now, settings, new LogSink(), undefined, { manageRoundSize });
    expect(next.outcome).toBe("ok");
    const ids = await tableIds(settings);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, early.length)).toEqual(early);
    expect([...ids].sort()).toEqual(all);
    expect((await journal()).managing).toEqual({});
  });
});
