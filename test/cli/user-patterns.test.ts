import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";
import type { Simulator } from "../../src/simulator/server.js";
import { statePaths } from "../../src/state/index.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-patterns-");
  sim = await startCliSimulator(dir.path);
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

async function cli(argv: string[]) {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(argv, context);
  return { code, out: context.out(), err: context.err() };
}

describe("user-supplied patterns cannot stall a cycle", () => {
  it("a protect glob that backtracks exponentially in a RegExp is matched in linear time: the cycle runs as usual", async () => {
    // As a RegExp, `^(.*.){8}!$` takes seconds on a 40-character name and years on a 100-character path.
    // The first cycle delivers; the second retires what is aged (deliver before you retire), matching the glob against every path.
    const retireAtOnce = ["--min_days_after_delivery", "0"];
    expect((await cli(["run", ...args, ...retireAtOnce])).code).toBe(0);
    const result = await cli(["run", ...args, ...retireAtOnce, "--protect", "*?*?*?*?*?*?*?*?!"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Cycle \S+: ok/m);
    expect(result.out).toMatch(/^ {2}icaLifecycle .*\barchived 1\b/m);
  });

  it("a lookaround or backreference is refused at load time with the fix, and nothing is changed", async () => {
    const before = sim.state().digest;
    const result = await cli(["run", ...args, "--fastq_pattern", "(?<!x)M"]);
    expect(result.code).toBe(2);
    expect(result.err.trim().split("\n")).toEqual([expect.stringMatching(/fastq_pattern.*lookarounds .* are not supported, because they can make matching take forever; rewrite the pattern without them/)]);
    expect(sim.state().digest).toBe(before);
    await expect(access(statePaths(join(dir.path, "state")).journal)).rejects.toThrow();
  });
});
