import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { IcaClient } from "../../src/ica/client.js";
import { runCliIn, tempDir } from "./helpers.js";
import { simulatorArgs, startCliSimulator } from "./sim-setup.js";
import { DESTINATION_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";

it("scratch", async () => {
  const dir = await tempDir("dl-");
  const sim = await startCliSimulator(dir.path);
  try {
    const args = simulatorArgs(sim, dir.path);
    const run = await runCliIn(dir.path, ["run", ...args]);
    console.log(run.code, run.out.slice(0, 300));
    const ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
    const dest = sim.fixture.ica.projects.find((p) => p.name === DESTINATION_PROJECT_NAME)!.id;
    const rows = ["file_name,file_path,data_id,project_id"];
    let first = "";
    for await (const f of ica.listData(dest, { parentFolderPath: "/fastq_manifests/" })) { rows.push(`${f.name},${f.path},${f.id},${dest}`); first ||= f.name; }
    await writeFile(join(dir.path, "m.csv"), rows.join("\n"));
    const cred = ["--server_url", sim.icaUrl, "--api_key_file", sim.apiKeyFile ?? ""];
    const a = await runCliIn(dir.path, ["download", "m.csv", "--dest", "out", ...cred]);
    console.log(a.code, a.out, a.err);
    const b = await runCliIn(dir.path, ["download", "m.csv", "--dest", "out", ...cred]);
    console.log(b.code, b.out, b.err);
    const c = await runCliIn(dir.path, ["download", first, "--dest", "out2", "--destination_project_name", DESTINATION_PROJECT_NAME, ...cred]);
    console.log(c.code, c.out.slice(0, 1500), c.err);
    const d = await runCliIn(dir.path, ["download", "nope.csv", "--dest", "out2", ...cred]);
    console.log(d.code, d.out, d.err);
    expect(1).toBe(1);
  } finally {
    await sim.stop();
    await dir.cleanup();
  }
}, 120_000);
