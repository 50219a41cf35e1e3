import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { BaseSpaceClient } from "../../src/basespace/client.js";
import { ApiError, BadRequestError, InvalidResponseError } from "../../src/http/errors.js";
import { HttpTransport } from "../../src/http/transport.js";
import { IcaClient } from "../../src/ica/client.js";
import { startLocalServer, type LocalServer } from "./local-server.js";

const apiKey = "ICA-KEY-recognisable-0123456789";
const token = "BS-TOKEN-recognisable-9876543210";
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function expectNoSecrets(error: unknown): void {
  const dumps = [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
  for (const dump of dumps) {
    expect(dump).not.toContain(apiKey);
    expect(dump).not.toContain(token);
  }
}

describe("response validation", () => {
  it("names the endpoint and the field of a malformed ICA answer", async () => {
    server = await startLocalServer(() => ({
      status: 200,
      headers: { "content-type": "application/vnd.illumina.v3+json" },
      body: JSON.stringify({
        projectId: "p",
        data: { id: "fil.1", details: { name: "a", path: "/a", status: "AVAILABLE", dataType: "FILE", owningProjectId: "p", timeCreated: 5 } },
      }),
    }));
    const ica = new IcaClient({ serverUrl: server.url, apiKey });
    const error = await ica.getData("p", "fil.1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    const e = error as InvalidResponseError;
    expect(e.route).toBe("/api/projects/{projectId}/data/{dataId}");
    expect(e.fieldPath).toBe("data.details.timeCreated");
    expect(e.message).toContain("ICA GET /api/projects/{projectId}/data/{dataId} failed with HTTP 200");
    expect(e.message).toContain("field `data.details.timeCreated`: Invalid input: expected string, received number");
    expect(server.requests).toHaveLength(1);
  });

  it("points into nested list items", async () => {
    const item = (size: unknown) => ({
      projectId: "p",
      data: { id: "fil.1", details: { name: "a", path: "/a", status: "AVAILABLE", dataType: "FILE", owningProjectId: "p", timeCreated: "t", fileSizeInBytes: size } },
    });
    server = await startLocalServer(() => ({ status: 200, body: JSON.stringify({ items: [item(1), item("big")], nextPageToken: "" }) }));
    const ica = new IcaClient({ serverUrl: server.url, apiKey });
    const error = await (async () => {
      for await (const _ of ica.listData("p")) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).fieldPath).toBe("items[1].data.details.fileSizeInBytes");
  });

  it("reports a body that is not JSON", async () => {
    server = await startLocalServer(() => ({ status: 200, body: "<html>proxy login</html>" }));
    const bs = new BaseSpaceClient({ apiServer: server.url, accessToken: token });
    await expect(bs.getCurrentUser()).rejects.toThrow(/BaseSpace GET \/v2\/users\/current failed with HTTP 200: field `\(response body\)`: is not valid JSON/);
  });
});

describe("secrets and redirects", () => {
  it("never puts the key or token into errors, even when the server echoes them", async () => {
    server = await startLocalServer((req) => ({
      status: 401,
      headers: { "content-type": "application/problem+json", "x-request-id": "req-1" },
      body: JSON.stringify({
        title: "Unauthorized",
        detail: `unknown key ${String(req.headers["x-api-key"] ?? req.headers.authorization)}`,
        ErrorCode: "BASESPACE.COMMON.UNAUTHORIZED",
        ErrorMessage: `bad token ${String(req.headers.authorization)}`,
      }),
    }));
    const ica = new IcaClient({ serverUrl: server.url, apiKey });
    const bs = new BaseSpaceClient({ apiServer: server.url, accessToken: token });
    const icaError = await ica.getProject("p").catch((e: unknown) => e);
    const bsError = await bs.getCurrentUser().catch((e: unknown) => e);
    expect(icaError).toBeInstanceOf(ApiError);
    expect((icaError as ApiError).requestId).toBe("req-1");
    expect((icaError as ApiError).message).toContain("[REDACTED]");
    expect((bsError as ApiError).title).toBe("BASESPACE.COMMON.UNAUTHORIZED");
    expectNoSecrets(icaError);
    expectNoSecrets(bsError);
    expect(server.requests[0]?.headers["x-api-key"]).toBe(apiKey);
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it("does not follow a redirect (the API key would travel to another host)", async () => {
    server = await startLocalServer(() => ({ status: 302, headers: { location: "http://127.0.0.1:1/steal" } }));
    const ica = new IcaClient({ serverUrl: server.url, apiKey });
    const error = await ica.getProject("p").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as ApiError).status).toBe(302);
    expect(server.requests).toHaveLength(1);
  });
});

describe("media types", () => {
  it("an ICA request that names none is refused before it is sent: no fallback to application/json", async () => {
    server = await startLocalServer(() => ({ status: 200, body: "{}" }));
    const transport = new HttpTransport({ service: "ica", baseUrl: server.url });
    const error = await transport.json({ method: "GET", route: "/api/projects" }, z.unknown()).catch((e: unknown) => e);
    expect((error as Error).message).toBe("ica GET /api/projects: the request names no media type; give it the one its operation documents");
    expect(server.requests).toEqual([]);
  });

  it("BaseSpace requests say application/json both ways; ICA ones their vendor type", async () => {
    server = await startLocalServer(() => ({ status: 200, body: JSON.stringify({ Response: { Id: "1", Name: "n" } }) }));
    await new BaseSpaceClient({ apiServer: server.url, accessToken: token }).getCurrentUser().catch(() => undefined);
    await new IcaClient({ serverUrl: server.url, apiKey }).getProject("p").catch(() => undefined);
    expect(server.requests.map((r) => r.headers.accept)).toEqual(["application/json", "application/vnd.illumina.v3+json"]);
  });
});
