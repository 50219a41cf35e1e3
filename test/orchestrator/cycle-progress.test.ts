import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { cycleAt, cycleSettings, LogSink, startCycleSimulator, tempStateDir } from "./cycle-harness.js";

let sim: Simulator;
let state: Awaited<ReturnType<typeof tempStateDir>>;
beforeEach(async () => {
  [sim, state] = await Promise.all([startCycleSimulator(), tempStateDir()]);
});
afterEach(async () => {
  await Promise.all([sim.stop(), state.remove()]);
});

const simNow = () => new Date(sim.clock.now());

describe("progress of long steps", () => {
  it("logs one line per listing, linking wait and manifest upload without a terminal", async () => {
    const sink = new LogSink();
    await cycleAt(simNow, cycleSettings(sim, state.dir), sink);
    const analyses = sim.fixture.ica.analyses.filter((a) => a.projectId === sim.fixture.ica.projects.find((p) => p.name === "core-bssh-runs")?.id);
    expect(sink.text).toContain(`listing analyses: ${analyses.length} analyses`);
    expect(sink.text).toContain("linking 25 file(s): 25 linked, 0 not");
    expect(sink.text).toContain("uploading manifests: 8 of 8 in place");
  });

  it("draws a live line on a terminal and clears it when the step is done", async () => {
    const terminal: PassThrough & { isTTY?: boolean } = Object.assign(new PassThrough(), { isTTY: true });
    let drawn = "";
    terminal.on("data", (chunk: Buffer) => (drawn += chunk.toString()));
    await cycleAt(simNow, cycleSettings(sim, state.dir), new LogSink(), undefined, { progressStream: terminal });
    const clear = "\r\x1b[2K";
    const lines = drawn.split(clear).filter((line) => line !== "");
    expect(lines).toContainEqual(expect.stringMatching(/^linking 25 file\(s\): \d+\/25$/));
    expect(lines).toContainEqual(expect.stringMatching(/^uploading manifests: \d\/8$/));
    expect(drawn.endsWith(clear)).toBe(true);
  });
});
