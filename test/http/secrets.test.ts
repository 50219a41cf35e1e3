import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, AuthError } from "../../src/http/errors.js";
import { SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { startLocalServer } from "./local-server.js";
import { bsClientFor, collect, icaClientFor, startTestSimulator, testApiKey, testToken } from "./sim-harness.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.stop());

/** Every way an error can end up in a log or a report. */
function dumps(error: unknown): string[] {
  return [String(error), (error as Error).message, (error as Error).stack ?? "", JSON.stringify(error), inspect(error, { depth: 20, showHidden: true })];
}

function expectAbsent(error: unknown, secrets: readonly string[]): void {
  expect(error).toBeInstanceOf(ApiError);
  for (const dump of dumps(error)) for (const secret of secrets) expect(dump).not.toContain(secret);
}

const projectIdOf = (name: string) => sim.fixture.ica.projects.find((p) => p.name === name)?.id as string;

describe("secrets never reach errors", () => {
  it("a rejected ICA key or BaseSpace token", async () => {
    const wrongKey = `${testApiKey}-revoked`;
    const wrongToken = `${testToken}-revoked`;
    const icaError = await icaClientFor(sim, { apiKey: wrongKey }).getProject(projectIdOf(SOURCE_PROJECT_NAME)).catch((e: unknown) => e);
    expect(icaError).toBeInstanceOf(AuthError);
    expect((icaError as AuthError).message).toMatch(/^ICA GET \/api\/projects\/\{projectId\} failed with HTTP 401.*Check the ICA API key$/);
    expectAbsent(icaError, [wrongKey, testApiKey]);
    const bsError = await bsClientFor(sim, { accessToken: wrongToken }).getTokenScopes().catch((e: unknown) => e);
    expect(bsError).toBeInstanceOf(AuthError);
    expectAbsent(bsError, [wrongToken, testToken]);
  });

  it("a server error after retries, and a network error", async () => {
    sim.setFaults({ rules: [{ route: "*", rate: 1, kinds: ["500"], limit: 3 }] });
    const error = await icaClientFor(sim, { retry: { maxRetries: 2, baseDelayMs: 1 } })
      .getProject(projectIdOf(SOURCE_PROJECT_NAME))
      .catch((e: unknown) => e);
    expectAbsent(error, [testApiKey]);
    sim.setFaults({ rules: [] });
    const unreachable = await icaClientFor(sim, { serverUrl: "http://127.0.0.1:1", retry: { maxRetries: 0 } })
      .getProject("p")
      .catch((e: unknown) => e);
    expect((unreachable as ApiError).code).toBe("ECONNREFUSED");
    expectAbsent(unreachable, [testApiKey]);
  });

  it("presigned URL signatures", async () => {
    const ica = icaClientFor(sim);
    const projectId = projectIdOf(SOURCE_PROJECT_NAME);
    // Marker files are the fixture files that carry bytes.
    const [file] = await collect(ica.listData(projectId, { filename: ["bsshoutput.json"], filenameMatchMode: "EXACT" }));
    const data = file as NonNullable<typeof file>;
    const url = new URL(await ica.createDownloadUrl(projectId, data.id));
    const signature = [...url.searchParams.values()].sort((a, b) => b.length - a.length)[0] as string;
    expect(signature.length).toBeGreaterThan(10);
    url.searchParams.set("X-Amz-Expires", "1");
    url.pathname += "-tampered";
    const tampered = await ica.downloadFromUrl(url.toString()).catch((e: unknown) => e);
    expect((tampered as ApiError).route).toBe("{presignedUrl}");
    expect((tampered as ApiError).status).toBe(403);
    expectAbsent(tampered, [signature, url.search, testApiKey]);
  });

  it("the API key is never sent to a presigned URL", async () => {
    const storage = await startLocalServer(() => ({ status: 200, body: "bytes" }));
    try {
      const ica = icaClientFor(sim);
      await ica.uploadToUrl(`${storage.url}/bucket/key?X-Amz-Signature=abc`, Buffer.from("probe"));
      expect((await ica.downloadFromUrl(`${storage.url}/bucket/key?X-Amz-Signature=abc`)).toString()).toBe("bytes");
      expect(storage.requests.map((r) => r.method)).toEqual(["PUT", "GET"]);
      for (const { headers } of storage.requests) {
        expect(headers["x-api-key"]).toBeUndefined();
        expect(headers.authorization).toBeUndefined();
        expect(JSON.stringify(headers)).not.toContain(testApiKey);
      }
    } finally {
      await storage.close();
    }
  });
});
