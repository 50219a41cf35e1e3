import { describe, expect, it } from "vitest";
import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../src/cli/run-cli.js";
import { capturedContext, tempDir } from "./helpers.js";

describe("demo", () => {
  it("runs plan, run and status against the simulator and prints where everything went", async () => {
    const dir = await tempDir("ica-orch-demo-");
    try {
      const outputDir = join(dir.path, "demo-output");
      // The user's own key must not leak into the demo: it runs with an empty environment.
      const context = capturedContext({ cwd: dir.path, env: { ICA_API_KEY: "users-real-key-must-not-be-used", ICA_ORCHESTRATOR_CONFIG: "/nonexistent.json" } });
      const code = await runCli(["demo", "--dir", "demo-output"], context);
      const out = context.out();
      expect(context.err()).not.toMatch(/ error /);
      expect(code).toBe(0);

      const sections = ["1/3  ica-orchestrator plan", "2/3  ica-orchestrator run", "3/3  ica-orchestrator status", "where everything went"];
      const positions = sections.map((section) => out.indexOf(`==== ${section}`));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      const [plan, run, status, where] = sections.map((_, i) => out.slice(positions[i], positions[i + 1]));
      expect(plan).toMatch(/Plan at /);
      expect(run).toMatch(/Cycle \S+: ok/);
      expect(status).toMatch(/Managed analyses: [1-9]\d* in /);
      // A new account: each kind of irreversible action goes first on one item, the plan says which wait.
      expect(plan).toContain("IsArchived=false; canary: 1 of 5 bs-archive, rest after confirmation");
      expect(status).toMatch(/Irreversible actions against this account \(canary first on one item, at full rate once confirmed\):\n(.*\n)* {2}unconfirmed {2}bs-archive since \S+: applied to run /);

      const stateDir = join(outputDir, "state");
      for (const path of [join(outputDir, "credentials"), stateDir, join(stateDir, "orchestrator.log"), join(stateDir, "analyses_managed_table.txt")]) {
        expect(where).toContain(path);
        await access(path);
      }
      const manifests = await readdir(join(stateDir, "manifests"));
      expect(manifests.length).toBeGreaterThan(0);
      for (const name of manifests) expect(where).toContain(name);
      const [report] = await readdir(join(stateDir, "reports"));
      expect(where).toContain(join(stateDir, "reports", report ?? "-"));
      expect(where).toContain(`ica-orchestrator status --state_dir ${stateDir}`);
      expect(await readFile(join(stateDir, "orchestrator.log"), "utf8")).not.toContain(await readFile(join(outputDir, "credentials", "ica_api_key.txt"), "utf8").then((t) => t.trim()));
    } finally {
      await dir.cleanup();
    }
  });
});
