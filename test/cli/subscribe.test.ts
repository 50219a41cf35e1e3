import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctorChecks } from "../../src/cli/doctor/doctor-checks.js";
import { IcaClient } from "../../src/ica/client.js";
import { SecretRedactor } from "../../src/logging/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { runCliIn, tempDir } from "./helpers.js";

let sim: Simulator;
let dir: { path: string; cleanup(): Promise<void> };
let ica: IcaClient;

beforeAll(async () => {
  dir = await tempDir("ica-orch-subscribe-");
  sim = await startSimulator({ fixture: "demo", credentialsDir: join(dir.path, "credentials") });
  ica = new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey });
});
afterAll(async () => {
  await sim.stop();
  await dir.cleanup();
});

const queue = () => `sqs://${sim.sqsUrl}/000000000000/ica-events`;
const base = () => [
  "--server_url", sim.icaUrl,
  "--api_key_file", sim.apiKeyFile as string,
  "--source_project_name", SOURCE_PROJECT_NAME,
  "--destination_project_name", DESTINATION_PROJECT_NAME,
  "--state_dir", join(dir.path, "state"),
];
const subscribe = (...extra: string[]) => runCliIn(dir.path, ["subscribe", ...base(), ...extra]);

async function eventsCheck(events: string) {
  const flags = {
    server_url: sim.icaUrl,
    api_key_file: sim.apiKeyFile,
    source_project_name: SOURCE_PROJECT_NAME,
    destination_project_name: DESTINATION_PROJECT_NAME,
    state_dir: join(dir.path, "state"),
    events,
  };
  const { results } = await runDoctorChecks({ flags, env: {}, homeDir: dir.path, cwd: dir.path }, { redactor: new SecretRedactor() });
  return results.filter((r) => r.name === "events subscription");
}

describe("subscribe", () => {
  it("creates the SQS channel and a BCLConvert-filtered ICA_EXEC_028 subscription once; doctor checks they exist", async () => {
    const before = await eventsCheck(queue());
    expect(before).toMatchObject([{ status: "fail", fix: expect.stringContaining("ica-orchestrator subscribe") }]);

    const dry = await subscribe("--events", queue(), "--dry_run");
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^SQS channel .*ica-events: would be created\nICA_EXEC_028 subscription on .* would be created\n$/);
    expect(await ica.listNotificationChannels()).toEqual([]);

    const first = await subscribe("--events", queue());
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/SQS channel .*: created \(/);
    expect(first.out).toContain("filtered [?($.pipeline.code =~ /.*(?:bcl.*convert).*/i)]");

    const second = await subscribe("--events", queue());
    expect(second.code).toBe(0);
    expect(second.out).not.toContain("created");
    expect(second.out.match(/exists \(/g)).toHaveLength(2);
    expect(await ica.listNotificationChannels()).toHaveLength(1);

    expect(await eventsCheck(queue())).toMatchObject([{ status: "ok" }]);
  });

  it("creates an HTTP channel on events_address when the receiver listens on 0.0.0.0", async () => {
    const result = await subscribe("--events", "http://0.0.0.0:8080/ica-events", "--events_address", "https://lab.example.org/ica-events");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^HTTP channel https:\/\/lab\.example\.org\/ica-events: created \(/);
    const channels = await ica.listNotificationChannels();
    expect(channels.map((c) => [c.type, c.address])).toContainEqual(["HTTP", "https://lab.example.org/ica-events"]);
  });

  it("refuses, changing nothing, without --events or with a receiver address ICA cannot reach", async () => {
    const none = await subscribe();
    expect(none.code).toBe(2);
    expect(none.err.trim().split("\n")[0]).toMatch(/subscribe: events is not set; pass --events sqs:\/\/<queue-url>/);
    const unreachable = await subscribe("--events", "http://0.0.0.0:8080/ica-events");
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toMatch(/ICA cannot post to 0\.0\.0\.0, where the receiver listens; set events_address/);
    const bad = await subscribe("--events", "ica-events");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('events (from --events): "ica-events" is neither sqs://<queue-url> nor http://host:port/path');
    expect(await ica.listNotificationChannels()).toHaveLength(2);
  });
});
