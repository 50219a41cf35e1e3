import { existsSync } from "node:fs";
import { utimes } from "node:fs/promises";
import { isDeepStrictEqual as isEqual } from "node:util";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { statePaths } from "../../src/state/index.js";
import type { Hold } from "./api-proxy.js";
import { bundleCli, runCliProcess, startCli, type CliBundle, type CliRun } from "./cli-process.js";
import { Scenario, type EndState } from "./scenario.js";
import { findLeaks } from "./secrets.js";

/**
 * Archive, unarchive and restore take a simulated day, so a converged run still has pending work in
 * its journal (unarchive → delete, BaseSpace restores): a kill that loses one shows in the journal.
 */
const slowLifecycle = { icaLinkBatchMs: 0, icaDeleteMs: 0, icaArchiveMs: 86_400_000, icaUnarchiveMs: 86_400_000, bsRestoreMs: 86_400_000 };
const kills = 50;
const killSeed = 0x5eed_0007;

let cli: CliBundle;
let reference: EndState;
/** Requests of one uninterrupted `run` on the demo. */
let firstCycleRequests: number;

/**
 * Reruns in this process. The reference is a run followed by cycles until one changes nothing; a
 * killed run is rerun until its state equals the reference (usually one cycle) or a cycle changes
 * nothing (then it differs, and the test shows how).
 */
async function finish(s: Scenario, target?: EndState): Promise<EndState> {
  // proper-lockfile takes over a lock not refreshed for 30 s: age the dead child's lock instead of waiting.
  const { lock } = statePaths(s.stateDir);
  if (existsSync(lock)) await utimes(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  for (let cycles = 0; cycles < 6; cycles++) {
    const before = s.sim.state().digest;
    const report = await s.cycle();
    const end = await s.endState();
    if (target !== undefined && isEqual(end, target)) return end;
    if (report.outcome === "ok" && end.digest === before) return end;
  }
  return s.endState();
}

const start = () => Scenario.start({ timings: slowLifecycle });

beforeAll(async () => {
  cli = await bundleCli();
  const s = await start();
  try {
    const run = await runCliProcess(cli, ["run", ...(await s.cliArgs())], { env: s.cliEnv() });
    expect(run.stderr).not.toMatch(/ error /);
    expect(run.code).toBe(0);
    firstCycleRequests = s.sim.stats().total;
    reference = await finish(s);
  } finally {
    await s.close();
  }
  expect(reference.table).toHaveLength(8); // a0000003 (no MGI FASTQ) is held, not recorded
  expect(reference.journal.pendingIcaDeletes.length).toBeGreaterThan(0);
  expect(reference.journal.basespaceRestores.length).toBeGreaterThan(0);
  expect(reference.journal.managing).toEqual([]);
}, 60_000);

/** A `run` started and held by the proxy at its first API call: its start-up is paid while another run is checked. */
interface ReadyRun {
  s: Scenario;
  run: CliRun;
  gate: Hold;
}

async function readyRun(): Promise<ReadyRun> {
  const s = await start();
  const gate = s.proxy.hold(/./);
  const run = startCli(cli, ["run", ...(await s.cliArgs())], { env: s.cliEnv() });
  await Promise.race([gate.arrived, run.done]);
  if (run.exited()) throw new Error(`run ended before its first API call: ${(await run.done).stderr}`);
  return { s, run, gate };
}

interface KillOutcome {
  afterRequests: number;
  killedAt: number;
  signal: NodeJS.Signals | null;
  end: EndState;
  leaks: string[];
}

/** Lets the held run go, SIGKILLs it once the simulator has received `afterRequests` requests, then reruns it in this process. */
async function killAndResume({ s, run, gate }: ReadyRun, afterRequests: number): Promise<KillOutcome> {
  try {
    gate.release();
    while (!run.exited() && s.sim.stats().total < afterRequests) await new Promise((resolve) => setTimeout(resolve, 1));
    if (run.exited()) throw new Error(`run ended before ${afterRequests} requests: ${(await run.done).stderr}`);
    run.child.kill("SIGKILL");
    const killed = await run.done;
    const killedAt = s.sim.stats().total;
    const end = await finish(s, reference);
    const leaks = findLeaks(await s.outputs({ stdout: killed.stdout, stderr: killed.stderr }), s.secrets);
    return { afterRequests, killedAt, signal: killed.signal, end, leaks };
  } finally {
    await s.close();
  }
}

/**
 * Runs the kills on `lanes` lanes; each lane starts its next run while it checks the current one, so
 * the CLI's start-up (the slowest part) overlaps with the rerun.
 */
async function killAll(moments: readonly number[], lanes: number): Promise<KillOutcome[]> {
  const outcomes: KillOutcome[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    let ready: Promise<ReadyRun> | undefined;
    try {
      while (next < moments.length) {
        const moment = moments[next++] as number;
        const current = await (ready ?? readyRun());
        ready = next < moments.length ? readyRun() : undefined;
        // A failed start-up is reported when the lane awaits it, not as an unhandled rejection.
        ready?.catch(() => undefined);
        outcomes.push(await killAndResume(current, moment));
      }
    } finally {
      const pending = await ready?.catch(() => undefined);
      if (pending) {
        pending.run.child.kill("SIGKILL");
        await pending.run.done;
        await pending.s.close();
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return outcomes.sort((a, b) => a.afterRequests - b.afterRequests);
}

describe("kill and resume", () => {
  it(`SIGKILL at the distinct ones of ${kills} seeded moments, then rerun: the end state is always the uninterrupted one`, async () => {
    // Moments within the first cycle (the last request excluded, so that the child is still running).
    // fast-check draws small numbers more often: of the 50 draws about 30 differ (on the demo's 77
    // requests). A moment drawn twice is killed once: a second kill there would repeat the first.
    const moments = [...new Set(fc.sample(fc.integer({ min: 1, max: firstCycleRequests - 1 }), { numRuns: kills, seed: killSeed }))];
    expect(moments.length).toBeGreaterThanOrEqual(25);
    const outcomes = await killAll(moments, 3);
    // Soft: every moment whose rerun differs is reported, not only the first.
    for (const outcome of outcomes) {
      expect.soft({ afterRequests: outcome.afterRequests, signal: outcome.signal, leaks: outcome.leaks, ...outcome.end }).toEqual({
        afterRequests: outcome.afterRequests,
        signal: "SIGKILL",
        leaks: [],
        ...reference,
      });
    }
    // The moments cover the cycle: linking, manifests, ICA and BaseSpace lifecycle.
    const killedAt = outcomes.map((o) => o.killedAt);
    expect(Math.min(...killedAt)).toBeLessThan(firstCycleRequests * 0.1);
    expect(Math.max(...killedAt)).toBeGreaterThan(firstCycleRequests * 0.9);
  }, 240_000);

  // The narrowest windows: the server has done the call, the client dies before it hears back (and so
  // before it records anything). The rerun must find out what happened from the API.
  // ICA data is archived, unarchived or deleted only by a cycle after the one that delivered it; an
  // unarchive or restore is paid only by the cycle after the one that asked (cheap path first).
  // Five run at a time, each with a CLI process: on a busy machine one takes far longer than alone.
  it.concurrent.for([
    ["linking batch", /^POST \/ica\/.*\/dataLinkingBatch$/, 0],
    ["manifest create", /^POST \/ica\/.*\/data:createFile$/, 0],
    ["ICA archive", /^POST \/ica\/.*:archive$/, 1],
    ["ICA unarchive", /^POST \/ica\/.*:unarchive$/, 2],
    ["ICA delete", /^POST \/ica\/.*:delete$/, 1],
    ["BaseSpace archive", /^POST \/v2\/archive$/, 0],
    ["BaseSpace restore", /^POST \/v2\/restore$/, 1],
    ["BaseSpace move to trash", /^DELETE \/v2\/(datasets|runs)\//, 0],
  ] satisfies Array<[string, RegExp, number]>)("SIGKILL after the server did a %s, before the answer arrived: the rerun ends in the uninterrupted state", { timeout: 120_000 }, async ([, route, cyclesBefore], { expect }) => {
    const s = await start();
    try {
      for (let i = 0; i < cyclesBefore; i++) await s.cycle();
      const answered = s.proxy.hold(route, "answered");
      const run = startCli(cli, ["run", ...(await s.cliArgs())], { env: s.cliEnv() });
      await Promise.race([answered.arrived, run.done]);
      expect(run.exited()).toBe(false);
      run.child.kill("SIGKILL");
      const killed = await run.done;
      answered.release();
      expect(killed.signal).toBe("SIGKILL");
      expect(await finish(s, reference)).toEqual(reference);
      expect(findLeaks(await s.outputs({ stdout: killed.stdout, stderr: killed.stderr }), s.secrets)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  // A scenario of its own too: it runs beside the narrow windows.
  it.concurrent("two concurrent runs: exactly one does the work, the other exits 0 with one line saying who holds the lock", async ({ expect }) => {
    const s = await start();
    try {
      const args = ["run", ...(await s.cliArgs())];
      // The first run is held at its first API call, inside its lock, until the second has finished.
      const gate = s.proxy.hold(/^GET /);
      const first = startCli(cli, args, { env: s.cliEnv() });
      await gate.arrived;
      const second = await runCliProcess(cli, args, { env: s.cliEnv() });
      gate.release();
      const winner = await first.done;

      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/another ica-orchestrator cycle holds .*lock.*this cycle is skipped/);
      expect(second.stdout).toBe("");
      expect(winner.code).toBe(0);
      // One run's worth of requests: the skipped run made none.
      expect(s.sim.stats().total).toBe(firstCycleRequests);
      expect(await finish(s, reference)).toEqual(reference);
      expect(findLeaks(await s.outputs({ first: winner.stdout + winner.stderr, second: second.stdout + second.stderr }), s.secrets)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);

  // Alone: its second run must start within the 30 s a dead run's lock stays fresh.
  it("a lock left by a SIGKILLed run is respected while fresh and taken over once stale", async () => {
    const s = await start();
    try {
      const args = ["run", ...(await s.cliArgs())];
      const gate = s.proxy.hold(/^GET /);
      const dead = startCli(cli, args, { env: s.cliEnv() });
      await gate.arrived;
      dead.child.kill("SIGKILL");
      expect((await dead.done).signal).toBe("SIGKILL");
      gate.release();
      const { lock } = statePaths(s.stateDir);
      expect(existsSync(lock)).toBe(true);

      const whileFresh = await runCliProcess(cli, args, { env: s.cliEnv() });
      expect(whileFresh.code).toBe(0);
      expect(whileFresh.stderr).toMatch(/another ica-orchestrator cycle holds/);
      expect(s.sim.stats().mutating).toBe(0);

      // 31 s without a refresh (the stale limit is 30 s): what a dead holder's lock looks like.
      const past = new Date(Date.now() - 31_000);
      await utimes(lock, past, past);
      const takeover = await runCliProcess(cli, args, { env: s.cliEnv() });
      expect(takeover.stderr).not.toMatch(/another ica-orchestrator cycle holds/);
      expect(takeover.code).toBe(0);
      expect(existsSync(lock)).toBe(false);
      expect(await finish(s, reference)).toEqual(reference);
    } finally {
      await s.close();
    }
  }, 30_000);
});
