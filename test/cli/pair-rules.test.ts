import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { capturedContext, tempDir } from "./helpers.js";
import { startCliSimulator } from "./sim-setup.js";

let dir: { path: string; cleanup(): Promise<void> };
let sim: Simulator;
beforeEach(async () => {
  dir = await tempDir("ica-orch-pairs-");
  sim = await startCliSimulator(dir.path);
});
afterEach(async () => {
  await sim.stop();
  await dir.cleanup();
});

/** `plan` with a config file of two pairs (the credentials and server as flags, so the pairs stay). */
async function planWithPairs(config: Record<string, unknown>) {
  await writeFile(join(dir.path, "lab.json"), JSON.stringify(config));
  const context = capturedContext({ cwd: dir.path });
  const argv = [
    "plan",
    "--verbose",
    "--config", "lab.json",
    "--server_url", sim.icaUrl,
    "--api_key_file", sim.apiKeyFile ?? "",
    "--basespace_access_token_file", sim.basespaceConfigFile ?? "",
    "--state_dir", join(dir.path, "state"),
    "--adopt", "deliver",
  ];
  const code = await runCli(argv, context);
  return { code, out: context.out(), err: context.err() };
}

const sourceId = () => sim.fixture.ica.projects.find((p) => p.name === SOURCE_PROJECT_NAME)?.id ?? "";
const errorLines = (err: string) => err.trim().split("\n").filter((line) => line.trim() !== "");

describe("rules across pairs: account-wide things get account-wide rules", () => {
  it("refuses basespace_runs all when another pair ages runs with other windows: one line naming the fix, exit 2, no call made", async () => {
    const result = await planWithPairs({
      pairs: [
        { source: SOURCE_PROJECT_NAME, destination: DESTINATION_PROJECT_NAME, days_to_delete: 90 },
        { source: { id: "0c4c5d1e-0000-4000-8000-000000000009" }, destination: DESTINATION_PROJECT_NAME, days_to_delete: 400, basespace_runs: "related" },
      ],
    });
    expect(result.code).toBe(2);
    expect(errorLines(result.err)).toHaveLength(1);
    expect(result.err).toMatch(/basespace_runs: pairs\[0\] ages every BaseSpace run of the account \("all"\).*pairs\[1\].*set basespace_runs to "related"/);
    expect(sim.stats().total).toBe(0);
  });

  it("refuses pairs that disagree on emptying the account's one trash", async () => {
    const result = await planWithPairs({
      basespace_runs: "related",
      pairs: [
        { source: SOURCE_PROJECT_NAME, destination: DESTINATION_PROJECT_NAME, empty_trash: "never" },
        { source: { id: "0c4c5d1e-0000-4000-8000-000000000009" }, destination: DESTINATION_PROJECT_NAME, empty_trash: "always" },
      ],
    });
    expect(result.code).toBe(2);
    expect(errorLines(result.err)).toHaveLength(1);
    expect(result.err).toMatch(/empty_trash: pairs\[0\] says "never" and pairs\[1\] "always".*set empty_trash once/);
    expect(sim.stats().total).toBe(0);
  });

  it("refuses two pairs on one source with different FASTQ rules sharing one managed table, and accepts them with a table each", async () => {
    const pairs = [
      { source: SOURCE_PROJECT_NAME, destination: DESTINATION_PROJECT_NAME },
      { source: SOURCE_PROJECT_NAME, destination: { id: "6b6b6b6b-0000-4000-8000-000000000002" }, fastq_pattern: "^LIB-" },
    ];
    const shared = await planWithPairs({ pairs });
    expect(shared.code).toBe(2);
    expect(errorLines(shared.err)).toHaveLength(1);
    expect(shared.err).toMatch(/analyses_managed_table: pairs\[0\] and pairs\[1\] read source 'core-bssh-runs' into one managed table .* \(fastq_pattern \/\^M\/ and \/\^LIB-\/\).*give pairs\[1\] its own analyses_managed_table/);
    expect(sim.stats().total).toBe(0);

    const separate = await planWithPairs({
      pairs: [pairs[0], { ...pairs[1], destination: DESTINATION_PROJECT_NAME, analyses_managed_table: "lib-table.txt" }],
    });
    expect(separate.err).not.toMatch(/analyses_managed_table:/);
    expect(separate.code).toBe(0);
    // Both pairs plan their own delivery: row 3's analysis holds no M FASTQ (the first pair holds it for
    // an operator), so a link of it can only come from the second pair's LIB- rule.
    const [first, second] = separate.out.split(/^== /m).filter((section) => section.trim() !== "");
    expect(first).toMatch(/^ {4}\S+ +20251116_LH00619\S*\s.*no recognisable MGI FASTQ; held/m);
    expect(second).toMatch(/^ {2}link: [^\n]*\n(?: {4}.*\n)*? {4}\S+ +20251116_LH00619/m);
    expect(separate.out.match(/^Plan at /gm)?.length).toBe(2);
  });

  it("refuses pairs on one source that age its data differently", async () => {
    const result = await planWithPairs({
      basespace_runs: "related",
      pairs: [
        { source: { id: sourceId() }, destination: DESTINATION_PROJECT_NAME, days_to_delete: 90 },
        { source: { id: sourceId() }, destination: DESTINATION_PROJECT_NAME, days_to_delete: 120, analyses_managed_table: "b.txt" },
      ],
    });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/pairs\[0\] and pairs\[1\] read source id .* but age its data differently.*give both pairs the same values/);
    expect(sim.stats().total).toBe(0);
  });
});
