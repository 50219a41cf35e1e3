import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderChecklist, hasFailures, type CheckResult } from "../../src/cli/doctor/checklist.js";
import { runDoctorChecks } from "../../src/cli/doctor/doctor-checks.js";
import { SecretRedactor } from "../../src/logging/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { tempDir } from "./helpers.js";

let sim: Simulator;
let dir: { path: string; cleanup(): Promise<void> };

beforeAll(async () => {
  dir = await tempDir("ica-orch-doctor-");
  sim = await startSimulator({ fixture: "demo", credentialsDir: join(dir.path, "credentials") });
});
afterAll(async () => {
  await sim.stop();
  await dir.cleanup();
});

async function secretFile(name: string, content: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, content);
  await chmod(path, 0o600);
  return path;
}

function flags(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server_url: sim.icaUrl,
    api_key_file: sim.apiKeyFile,
    basespace_access_token_file: sim.basespaceConfigFile,
    source_project_name: SOURCE_PROJECT_NAME,
    destination_project_name: DESTINATION_PROJECT_NAME,
    state_dir: join(dir.path, "state"),
    ...overrides,
  };
}

async function doctor(flagValues: Record<string, unknown>, options: { now?: () => number; env?: Record<string, string> } = {}) {
  const redactor = new SecretRedactor();
  const { results } = await runDoctorChecks(
    { flags: flagValues, env: options.env ?? {}, homeDir: dir.path, cwd: dir.path },
    { redactor, ...(options.now ? { now: options.now } : {}) },
  );
  return { results, text: renderChecklist(results), redactor };
}

const byName = (results: CheckResult[], name: string): CheckResult | undefined => results.find((r) => r.name === name);

describe("doctor checklist against the simulator", () => {
  it("passes every check with the demo's credentials, changing nothing", async () => {
    const { results, text } = await doctor(flags({ days_to_delete: 365 }));
    expect(results.map((r) => [r.name.replace(/ \(.*\)$/, ""), r.status])).toEqual([
      ["configuration", "ok"],
      ["cost of archiving", "ok"],
      ["state directory", "ok"],
      ["ICA API key", "ok"],
      ["clock", "ok"],
      ["source project", "ok"],
      ["destination project", "ok"],
      ["BaseSpace token", "ok"],
      ["BaseSpace scopes", "ok"],
    ]);
    expect(byName(results, "source project")?.detail).toContain(`"${SOURCE_PROJECT_NAME}" (`);
    expect(byName(results, "state directory")?.detail).toContain("does not exist yet");
    expect(text).toMatch(/\nAll checks passed\.\n$/);
    expect(hasFailures(results)).toBe(false);
  });

  it("fails a rejected ICA key with the fix, and skips the project checks that need it", async () => {
    const wrongKey = await secretFile("wrong.key", "not-the-key-at-all\n");
    const { results, text } = await doctor(flags({ api_key_file: wrongKey }));
    expect(byName(results, "ICA API key")).toMatchObject({ status: "fail", fix: expect.stringContaining("API key") });
    expect(byName(results, "ICA API key")?.detail).toContain("401");
    expect(byName(results, "projects")).toMatchObject({ status: "skip" });
    expect(text).not.toContain("not-the-key-at-all");
    expect(text).toMatch(/\n1 check failed: fix it and run ica-orchestrator doctor again\.\n$/);
  });

  it("fails a token without the scopes a cycle needs, giving the bs auth command", async () => {
    const readOnly = sim.fixture.basespace.tokens[1]?.token ?? "";
    const cfg = await secretFile("readonly.cfg", `apiServer = ${sim.basespaceUrl}\naccessToken = ${readOnly}\n`);
    const { results } = await doctor(flags({ basespace_access_token_file: cfg }));
    expect(byName(results, "BaseSpace token")?.status).toBe("ok");
    const scopes = byName(results, "BaseSpace scopes");
    expect(scopes?.status).toBe("fail");
    expect(scopes?.detail).toMatch(/lacks .*MOVETOTRASH GLOBAL.*would skip: archive, restore, trash, empty-trash/);
    expect(scopes?.fix).toMatch(/^bs auth .*--scopes/);
  });

  it("does not ask for scopes of actions the settings turn off", async () => {
    const readOnly = sim.fixture.basespace.tokens[1]?.token ?? "";
    const cfg = await secretFile("readonly2.cfg", `apiServer = ${sim.basespaceUrl}\naccessToken = ${readOnly}\n`);
    const { results } = await doctor(flags({ basespace_access_token_file: cfg, days_to_archive: "off", empty_trash: "never" }));
    expect(byName(results, "BaseSpace scopes")?.detail).toMatch(/would skip: restore, trash$/);
  });

  it("fails a project name that matches nothing, saying what the search found", async () => {
    const { results } = await doctor(flags({ destination_project_name: "no-such-project" }));
    expect(byName(results, "source project")?.status).toBe("ok");
    expect(byName(results, "destination project")).toMatchObject({ status: "fail" });
    expect(byName(results, "destination project")?.detail).toMatch(/No ICA project is named exactly "no-such-project".*pass the project id/);
  });

  it("compares the clock with the ICA server's Date header", async () => {
    const ahead = await doctor(flags(), { now: () => Date.now() + 10 * 60_000 });
    expect(byName(ahead.results, "clock")).toMatchObject({ status: "fail", fix: expect.stringContaining("NTP") });
    expect(byName(ahead.results, "clock")?.detail).toMatch(/^\d+ s ahead of the ICA server's/);
    const behind = await doctor(flags(), { now: () => Date.now() - 60_000 });
    expect(byName(behind.results, "clock")).toMatchObject({ status: "warn" });
    expect(byName(behind.results, "clock")?.detail).toMatch(/^(59|60|61) s behind/);
  });

  it("fails a state directory that cannot be created", async () => {
    const file = await secretFile("a-file", "x");
    const { results } = await doctor(flags({ state_dir: join(file, "state") }));
    expect(byName(results, "state directory")).toMatchObject({ status: "fail", detail: `${file} is a file, in the way of ${join(file, "state")}` });
  });

  it("reports a configuration error as one failed item and skips what needs credentials", async () => {
    const { results, text } = await doctor({ ...flags(), api_key_file: join(dir.path, "absent.key") });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["configuration", "fail"],
      ["state directory", "ok"],
      ["credentials and projects", "skip"],
    ]);
    expect(text).toContain("absent.key does not exist: create it or correct the path");
  });

  it("warns, with the numbers, when the default windows make archiving cost more than it saves; cost-aware takes care of it", async () => {
    const standard = (await doctor(flags())).results.find((r) => r.name.startsWith("cost of archiving"));
    expect(standard).toMatchObject({ status: "warn" });
    expect(standard?.detail).toContain("archiving at 60 days and deleting at 90 costs 29.5 iCredits per TB more than it saves");
    const aware = (await doctor(flags({ archive_policy: "cost-aware" }))).results.find((r) => r.name.startsWith("cost of archiving"));
    expect(aware).toMatchObject({ status: "ok" });
    expect(aware?.detail).toContain("archive_policy cost-aware skips the archives that would lose iCredits");
  });

  it("warns, without failing, when no BaseSpace token is configured anywhere", async () => {
    const { basespace_access_token_file: _, ...withoutToken } = flags();
    const missing = join(dir.path, "secrets", "basespace.cfg");
    const { results } = await doctor(withoutToken, { env: { ICA_ORCHESTRATOR_BASESPACE_CONFIG: missing } });
    expect(byName(results, "BaseSpace token")).toMatchObject({ status: "warn", fix: expect.stringContaining("bs auth") });
    expect(byName(results, "BaseSpace token")?.detail).toContain(missing);
    expect(hasFailures(results)).toBe(false);
  });

  it("registers the loaded secrets with the redactor", async () => {
    const { redactor } = await doctor(flags());
    expect(redactor.redact(`key ${sim.apiKey} token ${sim.basespaceToken}`)).toBe("key [REDACTED] token [REDACTED]");
  });
});
