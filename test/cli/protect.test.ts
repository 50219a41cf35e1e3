import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { IcaClient } from "../../src/ica/client.js";
import type { IcaData } from "../../src/ica/schemas.js";
import type { Simulator } from "../../src/simulator/server.js";
import { instantTimings } from "../orchestrator/cycle-harness.js";
import { testApiKey, testToken } from "../orchestrator/cycle-settings.js";
import { agesFixture, referenceOf, SOURCE } from "../orchestrator/lifecycle-fixture.js";
import { capturedContext, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";

// Two ICA-managed analyses: 75 days old (its output folder is archived) and 120 days old (deleted).
const ages = [75, 120];

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
let args: string[];
beforeEach(async () => {
  dir = await tempDir("ica-orch-protect-");
  sim = await startCliSimulator(dir.path, { fixture: agesFixture({ ages }), icaApiKey: testApiKey, basespaceToken: testToken, timings: instantTimings });
  args = simulatorArgs(sim, dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

async function run(extra: string[]) {
  const context = capturedContext({ cwd: dir.path });
  const code = await runCli(["run", ...args, ...extra], context);
  const reports = (await readdir(join(dir.path, "state", "reports"))).sort();
  const report = JSON.parse(await readFile(join(dir.path, "state", "reports", reports.at(-1) ?? ""), "utf8")) as {
    warnings: string[];
    actions: Array<{ step: string; action: string; paths?: string[] }>;
    plan: { steps: Array<{ step: string; actions: Array<{ first: Array<{ action: string; target: { path?: string }; reason: string }> }> }> };
  };
  return { code, report, log: await readFile(join(dir.path, "state", "orchestrator.log"), "utf8") };
}

async function sourceData(): Promise<IcaData[]> {
  const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: testApiKey });
  const out: IcaData[] = [];
  for await (const item of ica.listData(SOURCE, {})) out.push(item);
  return out;
}

const folderOf = (data: readonly IcaData[], age: number) => data.find((d) => d.dataType === "FOLDER" && d.name === referenceOf(age));
const bamOf = (data: readonly IcaData[], age: number) =>
  data.find((d) => d.name === "sample.bam" && d.path.includes(`/${referenceOf(age)}/`));

describe("protect means protect", () => {
  it("leaves alone a folder holding a protected file (by id or by name glob), says so, and warns once about an entry that matches nothing", async () => {
    const before = await sourceData();
    const bam120 = bamOf(before, 120)?.id ?? "";
    expect(bam120).toMatch(/^fil\./);
    const protect = [bam120, `*${referenceOf(75)}*/sample.bam`, "/ilmn-analyses/2099*"].join(",");

    const first = await run(["--protect", protect]);
    expect(first.code).toBe(0);
    expect(first.report.actions.filter((a) => a.step === "icaLifecycle")).toEqual([]);
    const after = await sourceData();
    expect([folderOf(after, 75)?.status, folderOf(after, 120)?.status]).toEqual(["AVAILABLE", "AVAILABLE"]);
    const items = first.report.plan.steps.find((s) => s.step === "icaLifecycle")?.actions.flatMap((group) => group.first) ?? [];
    expect(items.map((i) => [i.action, i.reason.replace(/^holds (\S+),.*would (\w+)$/, "$1 $2")]).sort()).toEqual([
      ["skip-protected", `${bamOf(before, 120)?.path} delete`],
      ["skip-protected", `${bamOf(before, 75)?.path} archive`],
    ]);
    // The log line says which folder was left alone; it is cut at 200 characters, the report's reason (above) is whole.
    expect(first.log).toMatch(/protect: left \S+ages-120\S+ alone: holds \/ilmn-analyses\/ages-120/);
    const unmatched = (report: typeof first.report) => report.warnings.filter((w) => w.includes("matched nothing"));
    expect(unmatched(first.report)).toEqual([expect.stringContaining("protect '/ilmn-analyses/2099*' matched nothing this cycle")]);

    // The next cycle: still protected, and the unmatched entry is not reported again.
    const second = await run(["--protect", protect]);
    expect(second.report.actions.filter((a) => a.step === "icaLifecycle")).toEqual([]);
    expect(unmatched(second.report)).toEqual([]);

    // Without the protect list the same cycle archives and deletes both folders: the protection above was real.
    const third = await run([]);
    expect(third.report.actions.filter((a) => a.step === "icaLifecycle").map((a) => a.action).sort()).toEqual(["archive", "delete"]);
  });
});
