import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  basespaceSpec,
  basespaceSpecFile,
  icaSpec,
  icaSpecFile,
  SpecValidator,
  validateBasespaceExchange,
  validateIcaExchange,
} from "./spec-validator.js";

/** Small OpenAPI 3.0 and Swagger 2.0 descriptions with the quirks of the real ones, written to a temp dir. */
const openapi = `openapi: 3.0.1
info: { title: mini, version: "3" }
servers:
- url: /ica/rest
paths:
  /api/things:
    post:
      parameters:
      - name: dryRun
        in: query
        schema: { type: boolean }
      requestBody:
        required: true
        content:
          application/vnd.illumina.v3+json:
            schema: { $ref: '#/components/schemas/CreateThing' }
          application/json:
            schema: { $ref: '#/components/schemas/CreateThing' }
      responses:
        "201":
          description: created
          content:
            application/vnd.illumina.v3+json:
              schema: { $ref: '#/components/schemas/Thing' }
        default:
          description: problem
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
    get:
      parameters:
      - name: pageSize
        in: query
        schema: { type: string }
      - name: tag
        in: query
        schema: { type: array, items: { type: string } }
      - name: mode
        in: query
        required: true
        schema: { type: string, enum: [FULL, SHORT] }
      responses:
        "200":
          description: ok
          content:
            application/vnd.illumina.v3+json:
              schema:
                type: object
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Thing' } }
  /api/things/special:
    get:
      responses:
        "200": { description: ok }
  /api/things/{thingId}:
    get:
      parameters:
      - name: thingId
        in: path
        required: true
        schema: { type: string }
      responses:
        "200":
          description: ok
          content:
            application/vnd.illumina.v3+json:
              schema: { $ref: '#/components/schemas/Thing' }
            application/vnd.illumina.v4+json:
              schema: { $ref: '#/components/schemas/ThingV4' }
  /api/things/{thingId}:archive:
    post:
      responses:
        "204": { description: scheduled }
        default:
          description: problem
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
components:
  schemas:
    CreateThing:
      required: [name]
      type: object
      properties:
        name: { type: string }
        size: { type: integer, format: int64, minimum: 0, exclusiveMinimum: true }
    Thing:
      required: [id, name, timeCreated]
      type: object
      properties:
        id: { type: string, format: uuid }
        name: { type: string }
        timeCreated: { type: string, format: date-time }
        endDate: { type: string, format: date-time, nullable: true }
        status: { type: string, enum: [AVAILABLE, ARCHIVED] }
        labels: { type: object, additionalProperties: { type: string } }
    ThingV4:
      required: [id]
      type: object
      properties:
        id: { type: string }
        owner: { type: object, properties: { id: { type: string } } }
    Problem:
      required: [type, title, status]
      type: object
      properties:
        type: { type: string }
        title: { type: string }
        status: { type: integer, format: int32 }
`;

const swagger = JSON.stringify({
  swagger: "2.0",
  info: { title: "mini", version: "1" },
  basePath: "/v2",
  consumes: ["application/json"],
  produces: ["application/json"],
  paths: {
    "/runs/{id}": {
      get: {
        parameters: [{ in: "path", name: "id", required: true, type: "string" }],
        responses: { "200": { schema: { $ref: "#/definitions/Run" } }, default: { schema: { $ref: "#/definitions/V2Error" } } },
      },
    },
    "/runs/accesscheck": { get: { responses: { "200": { schema: { type: "string" } } } } },
    "/trash": {
      get: {
        parameters: [
          { in: "query", name: "limit", type: "integer" },
          { in: "query", name: "sortby", type: "string", enum: ["DateDeleted", "TotalSize"] },
        ],
        responses: { "200": { schema: { type: "object", properties: { Items: { type: "array" } } } } },
      },
    },
    "/archive": {
      post: {
        parameters: [{ in: "body", name: "payload", schema: { $ref: "#/definitions/ArchiveRequest" } }],
        responses: { "200": { schema: { type: "string" } } },
      },
    },
  },
  definitions: {
    Run: { required: ["Id"], properties: { Id: { type: "string" }, TotalSize: { type: "integer", format: "int64" } } },
    ArchiveRequest: { properties: { DatasetIds: { type: "array", items: { type: "string" } }, RunIds: { type: "array", items: { type: "string" } } } },
    V2Error: { required: ["ErrorCode"], properties: { ErrorCode: { type: "string" }, ErrorMessage: { type: "string" } } },
  },
});

const dir = mkdtempSync(path.join(tmpdir(), "spec-validator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const icaFile = path.join(dir, "mini-openapi.yaml");
const bsFile = path.join(dir, "mini-swagger.json");
writeFileSync(icaFile, openapi);
writeFileSync(bsFile, swagger);

const ica = SpecValidator.load(icaFile, { basePath: "/ica/rest" });
const bs = SpecValidator.load(bsFile, { basePath: "/v2", caseInsensitiveQuery: true, extraQueryNames: ["access_token"] });
const v3 = "application/vnd.illumina.v3+json";
const thing = { id: "2b2b2b2b-0000-4000-8000-000000000002", name: "t", timeCreated: "2025-11-21T12:00:00.000Z", endDate: null };

describe("SpecValidator: finding the operation", () => {
  it("prefers literal paths and tells {id}:archive from {id}", () => {
    expect(ica.findOperation("GET", "/ica/rest/api/things/special")?.template).toBe("/api/things/special");
    expect(ica.findOperation("GET", "/ica/rest/api/things/abc")?.template).toBe("/api/things/{thingId}");
    expect(ica.findOperation("POST", "/ica/rest/api/things/abc:archive")?.template).toBe("/api/things/{thingId}:archive");
    expect(ica.findOperation("POST", "/ica/rest/api/things/abc%3Aarchive")?.template).toBe("/api/things/{thingId}:archive");
    expect(bs.findOperation("GET", "/v2/runs/accesscheck")?.template).toBe("/runs/accesscheck");
  });

  it("names the spec file when nothing matches, and the methods when only the method is wrong", () => {
    expect(ica.validate({ method: "GET", path: "/ica/rest/api/nothing", status: 200 }).errors).toEqual([
      "GET /ica/rest/api/nothing: no operation in mini-openapi.yaml",
    ]);
    expect(ica.validate({ method: "DELETE", path: "/ica/rest/api/things/x", status: 204 }).errors[0]).toMatch(/the path exists for GET$/);
    expect(ica.validate({ method: "GET", path: "/v2/runs/1", status: 200 }).errors[0]).toMatch(/does not start with \/ica\/rest/);
  });

  it("lists operations the way the simulator lists routes", () => {
    expect(ica.operationNames()).toContain("POST /ica/rest/api/things/{thingId}:archive");
    expect(bs.operationNames()).toContain("GET /v2/trash");
  });
});

describe("SpecValidator: query parameters", () => {
  const list = (query: Record<string, string | string[]>) =>
    ica.validate({ method: "GET", path: "/ica/rest/api/things", query, status: 200, responseContentType: v3, responseBody: { items: [] } }).errors;

  it("accepts declared names, arrays and enums", () => {
    expect(list({ mode: "FULL", pageSize: "10", tag: ["a", "b"] })).toEqual([]);
  });

  it("reports an undeclared name with the declared ones and the spec line", () => {
    expect(list({ mode: "FULL", pagesize: "10" })).toEqual([
      'GET /api/things: query parameter "pagesize" is not declared (declared: pageSize, tag, mode; mini-openapi.yaml:30)',
    ]);
  });

  it("reports bad values, repeated scalars and missing required parameters", () => {
    expect(list({ mode: "HALF" })[0]).toMatch(/query parameter "mode" must be equal to one of the allowed values \["FULL","SHORT"\]/);
    expect(list({ mode: "FULL", pageSize: ["1", "2"] })[0]).toMatch(/"pageSize" is given 2 times but is not an array/);
    expect(list({})[0]).toMatch(/required query parameter "mode" is missing \(mini-openapi.yaml:\d+\)/);
  });

  it("coerces typed values and matches BaseSpace names case-insensitively", () => {
    const trash = (query: Record<string, string>) =>
      bs.validate({ method: "GET", path: "/v2/trash", query, status: 200, responseContentType: "application/json", responseBody: { Items: [] } }).errors;
    expect(trash({ Limit: "25", SortBy: "DateDeleted", access_token: "t" })).toEqual([]);
    expect(trash({ limit: "ten" })[0]).toMatch(/query parameter "limit" must be integer/);
    expect(trash({ SortBy: "Name" })[0]).toMatch(/must be equal to one of the allowed values \["DateDeleted","TotalSize"\]/);
    const post = (query: Record<string, string>) =>
      ica.validate({ method: "POST", path: "/ica/rest/api/things", query, requestContentType: v3, requestBody: { name: "x" }, status: 201, responseContentType: v3, responseBody: thing }).errors;
    expect(post({ dryRun: "true" })).toEqual([]);
    expect(post({ dryRun: "yes" })[0]).toMatch(/"dryRun" must be boolean/);
  });
});

describe("SpecValidator: request bodies", () => {
  const create = (body: unknown, contentType = v3) =>
    ica.validate({ method: "POST", path: "/ica/rest/api/things", requestContentType: contentType, requestBody: body, status: 201, responseContentType: v3, responseBody: thing }).errors;

  it("accepts a valid body under each declared media type", () => {
    expect(create({ name: "a", size: 3 })).toEqual([]);
    expect(create({ name: "a" }, "application/json; charset=utf-8")).toEqual([]);
  });

  it("reports a missing required body, a wrong media type, schema violations and undeclared fields", () => {
    expect(create(undefined)[0]).toMatch(/the request body is required/);
    expect(create({ name: "a" }, "text/plain")[0]).toMatch(/request media type "text\/plain" is not one of application\/vnd.illumina.v3\+json, application\/json/);
    expect(create({ size: 0 })).toEqual([
      "POST /api/things: request body must have required property 'name' (CreateThing, mini-openapi.yaml:81)",
      "POST /api/things: request body /size must be > 0 (CreateThing, mini-openapi.yaml:86)",
    ]);
    expect(create({ name: "a", destinationFolderId: "fol.1" })).toEqual([
      "POST /api/things: request body /destinationFolderId is not declared by CreateThing (mini-openapi.yaml:81)",
    ]);
  });

  it("reports a body sent to an operation that takes none", () => {
    expect(ica.validate({ method: "POST", path: "/ica/rest/api/things/x:archive", requestBody: {}, requestContentType: v3, status: 204 }).errors[0]).toMatch(
      /the request has a body but the operation declares none/,
    );
  });

  it("validates Swagger 2 body parameters", () => {
    const archive = (body: unknown) =>
      bs.validate({ method: "POST", path: "/v2/archive", requestContentType: "application/json", requestBody: body, status: 200, responseContentType: "application/json", responseBody: "ok" }).errors;
    expect(archive({ DatasetIds: ["ds.1"] })).toEqual([]);
    expect(archive({ DatasetIds: "ds.1" })[0]).toMatch(/request body \/DatasetIds must be array \(ArchiveRequest, mini-swagger.json#\/definitions\/ArchiveRequest\/properties\/DatasetIds\)/);
  });
});

describe("SpecValidator: responses", () => {
  const get = (status: number, contentType: string, body: unknown) =>
    ica.validate({ method: "GET", path: "/ica/rest/api/things/x", status, responseContentType: contentType, responseBody: body }).errors;

  it("picks the schema of the response media type (v3 or v4) and honours nullable", () => {
    expect(get(200, v3, thing)).toEqual([]);
    expect(get(200, "application/vnd.illumina.v4+json", { id: "x", owner: { id: "u" } })).toEqual([]);
    expect(get(200, "application/vnd.illumina.v4+json", thing)[0]).toMatch(/\/name is not declared by ThingV4/);
  });

  it("reports wrong formats, enums and types at the field, with the schema and its line", () => {
    expect(get(200, v3, { ...thing, timeCreated: "21/11/2025", status: "GONE", labels: { a: 1 } })).toEqual([
      'GET /api/things/{thingId}: response 200 body /timeCreated must match format "date-time" (Thing, mini-openapi.yaml:93)',
      'GET /api/things/{thingId}: response 200 body /status must be equal to one of the allowed values ["AVAILABLE","ARCHIVED"] (Thing, mini-openapi.yaml:95)',
      "GET /api/things/{thingId}: response 200 body /labels/a must be string (Thing, mini-openapi.yaml:96)",
    ]);
  });

  it("reports an undocumented success status and a media type the status does not offer", () => {
    expect(get(201, v3, thing)[0]).toMatch(/status 201 is not documented \(documented: 200; mini-openapi.yaml:\d+\)/);
    expect(get(200, "application/json", thing)[0]).toMatch(/response 200 media type "application\/json" is not one of/);
  });

  it("validates errors against `default` and bodies against 204", () => {
    const archive = (status: number, contentType: string | undefined, body: unknown) =>
      ica.validate({ method: "POST", path: "/ica/rest/api/things/x:archive", status, responseContentType: contentType, responseBody: body }).errors;
    expect(archive(204, undefined, undefined)).toEqual([]);
    expect(archive(204, "application/json", { ok: true })[0]).toMatch(/status 204 has a body but the spec documents none/);
    expect(archive(404, "application/problem+json", { type: "about:blank", title: "Not found", status: 404 })).toEqual([]);
    expect(archive(404, "application/problem+json", { title: "Not found", status: "404" })).toEqual([
      "POST /api/things/{thingId}:archive: response 404 body must have required property 'type' (Problem, mini-openapi.yaml:103)",
      "POST /api/things/{thingId}:archive: response 404 body /status must be integer (Problem, mini-openapi.yaml:109)",
    ]);
  });

  it("validates any data against a named definition, for envelopes the spec does not describe", () => {
    expect(bs.validateAt("/definitions/Run", { Id: "1", TotalSize: 5 }, "item")).toEqual([]);
    expect(bs.validateAt("/definitions/Run", { TotalSize: 1.5 }, "item")).toEqual([
      "item must have required property 'Id' (Run, mini-swagger.json#/definitions/Run)",
      "item /TotalSize must be integer (Run, mini-swagger.json#/definitions/Run/properties/TotalSize)",
      'item /TotalSize must match format "int64" (Run, mini-swagger.json#/definitions/Run/properties/TotalSize)',
    ]);
  });
});

const realSpecsMissing = [icaSpecFile, basespaceSpecFile].filter((f) => !existsSync(f));
describe.skipIf(realSpecsMissing.length > 0)(
  realSpecsMissing.length > 0 ? `the real specs — skipped: ${realSpecsMissing.join(", ")} missing` : "the real specs",
  () => {
    it("load with their quirks corrected, and every quirk is still in them", () => {
      expect(icaSpec().operationNames()).toContain("POST /ica/rest/api/projects/{projectId}/dataLinkingBatch");
      expect(basespaceSpec().operationNames()).toContain("POST /v2/archive");
      expect(icaSpec().spec.at("/components/schemas/Problem/properties/instance")).toMatchObject({ format: "uri-reference" });
    });

    it("point at the real spec line of a violated schema", () => {
      const errors = validateIcaExchange({
        method: "GET",
        path: "/ica/rest/api/projects/x",
        status: 200,
        responseContentType: "application/vnd.illumina.v3+json",
        responseBody: { id: "not-a-uuid", name: "p" },
      });
      expect(errors).toContain("GET /api/projects/{projectId}: response 200 body must have required property 'tenantId' (Project, openapi_public.yaml:14005)");
      expect(errors).toContain('GET /api/projects/{projectId}: response 200 body /id must match format "uuid" (Project, openapi_public.yaml:14019)');
    });

    it("accept what the notes say the predecessor sends to BaseSpace", () => {
      const errors = validateBasespaceExchange({
        method: "POST",
        path: "/v2/restore",
        requestContentType: "application/json",
        requestBody: { DatasetIds: ["ds.16ef9da98da745bf9f51c57e89c282f6"] },
        status: 200,
        responseContentType: "application/json",
        responseBody: "Restore requested",
      });
      expect(errors).toEqual([]);
    });
  },
);
