import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import {
  ARCHIVED,
  DONE,
  DONE_FOLDER,
  DONE_REF,
  FOREIGN,
  OTHER_KEY,
  QUEUED,
  RUNNING,
  SOURCE,
  icaApi,
  startIcaSim,
  v4,
} from "./ica-harness.js";

let sim: Simulator;
let api: ReturnType<typeof icaApi>;

beforeAll(async () => {
  sim = await startIcaSim();
  api = icaApi(sim);
});
afterAll(() => sim.stop());

function expectProblem(response: { status: number; contentType: string | null; body: Record<string, unknown> }, status: number): void {
  expect(response.status).toBe(status);
  expect(response.contentType).toBe("application/problem+json");
  expect(response.body).toMatchObject({ type: "about:blank", status, parameters: expect.any(Object) });
  expect(typeof response.body.title).toBe("string");
  expect(typeof response.body.detail).toBe("string");
  expect(Number.isNaN(Date.parse(response.body.timestamp as string))).toBe(false);
}

describe("ICA simulator: auth and tenants", () => {
  it("answers 401 Problems for a missing or wrong key, without echoing the key", async () => {
    expectProblem(await api("GET", "/projects", { key: null }), 401);
    const wrong = await api("GET", "/projects", { key: "not-a-key-SECRET-123" });
    expectProblem(wrong, 401);
    expect(JSON.stringify(wrong.body)).not.toContain("SECRET-123");
  });

  it("swaps the API key for a JWT that works as a bearer token and expires", async () => {
    const token = await api("POST", "/tokens");
    expect(token.status).toBe(200);
    expect(token.contentType).toBe("application/vnd.illumina.v3+json");
    const bearer = { Authorization: `Bearer ${token.body.token}` };
    expect((await api("GET", `/projects/${SOURCE}`, { key: null, headers: bearer })).status).toBe(200);
    expectProblem(await api("POST", "/tokens", { key: null, headers: bearer }), 401);
    const tampered = `${token.body.token.slice(0, -2)}xx`;
    expectProblem(await api("GET", "/projects", { key: null, headers: { Authorization: `Bearer ${tampered}` } }), 401);
    sim.advanceClock(13 * 3600_000);
    expectProblem(await api("GET", "/projects", { key: null, headers: bearer }), 401);
  });

  it("shows each tenant only its own projects; another tenant's project is 404", async () => {
    const mine = await api("GET", "/projects");
    expect(mine.body.items.map((p: { name: string }) => p.name)).toEqual(["core-bssh-runs", "locked-project", "mgi-fastq-delivery"]);
    const theirs = await api("GET", "/projects", { key: OTHER_KEY });
    expect(theirs.body.items.map((p: { id: string }) => p.id)).toEqual([FOREIGN]);
    expectProblem(await api("GET", `/projects/${FOREIGN}`), 404);
    expectProblem(await api("GET", `/projects/${FOREIGN}/data`), 404);
    expectProblem(await api("GET", `/projects/${SOURCE}/analyses`, { key: OTHER_KEY }), 404);
  });
});

describe("ICA simulator: projects", () => {
  it("returns Project with every required field and filters by case-insensitive search", async () => {
    const found = await api("GET", "/projects?search=BSSH&includeHiddenProjects=true");
    expect(found.body.items).toHaveLength(1);
    const project = found.body.items[0];
    for (const field of ["id", "name", "active", "billingMode", "ownerId", "region", "tags", "tenantId", "timeCreated", "timeModified"]) {
      expect(project).toHaveProperty(field);
    }
    expect(project).toMatchObject({ id: SOURCE, name: "core-bssh-runs", dataSharingEnabled: true, active: true });
    expect(found.body).toMatchObject({ nextPageToken: "", remainingRecords: 0 });
    expectProblem(await api("GET", "/projects?includeHiddenProjects=maybe"), 400);
  });

  it("pages projects by cursor and by offset", async () => {
    const first = await api("GET", "/projects?pageSize=2");
    expect(first.body.items).toHaveLength(2);
    expect(first.body.remainingRecords).toBe(1);
    const second = await api("GET", `/projects?pageSize=2&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(["mgi-fastq-delivery"]);
    expect(second.body.nextPageToken).toBe("");
    const sorted = await api("GET", "/projects?sort=name desc&pageSize=2");
    expect(sorted.body.items.map((p: { name: string }) => p.name)).toEqual(["mgi-fastq-delivery", "locked-project"]);
    expect(sorted.body).toMatchObject({ nextPageToken: "", totalItemCount: 3 });
  });
});

describe("ICA simulator: media types", () => {
  it("picks V3 or V4 from Accept and labels the response with the vendor type", async () => {
    const v3 = await api("GET", `/projects/${SOURCE}/analyses/${QUEUED}`);
    expect(v3.contentType).toBe("application/vnd.illumina.v3+json");
    expect(v3.body).toMatchObject({ status: "REQUESTED", tenantId: expect.any(String), ownerId: expect.any(String) });
    const v4r = await api("GET", `/projects/${SOURCE}/analyses/${QUEUED}`, { headers: v4 });
    expect(v4r.contentType).toBe("application/vnd.illumina.v4+json");
    expect(v4r.body).toMatchObject({ status: "QUEUED", owner: { id: expect.any(String) }, tenant: { id: expect.any(String), name: "sequencing-core" } });
    expect(v4r.body).not.toHaveProperty("ownerId");
  });

  it("is strict: no vendor type in Accept is 406, a query parameter name in the wrong case 400", async () => {
    const path = `/projects/${SOURCE}/analyses/${QUEUED}`;
    for (const accept of ["*/*", "application/json", ""]) {
      const answer = await api("GET", path, { headers: { Accept: accept } });
      expectProblem(answer, 406);
      expect(answer.body.detail).toContain("send Accept: application/vnd.illumina.v3+json or application/vnd.illumina.v4+json");
    }
    const miscased = await api("GET", `/projects/${SOURCE}/data?filepath=/ilmn-analyses/`);
    expectProblem(miscased, 400);
    expect(miscased.body.detail).toContain('send "filePath"');
    expectProblem(await api("GET", `/projects/${SOURCE}/analyses?PageSize=10`), 400);
    // Names the spec has in both spellings (on different operations) pass; unknown names are ignored.
    expect((await api("GET", `/projects/${SOURCE}/analyses?userreference=x&someFlag=1`)).status).toBe(200);
  });

  it("refuses version mismatches and media types an operation does not offer", async () => {
    const path = `/projects/${SOURCE}/analyses/${QUEUED}`;
    expectProblem(await api("GET", path, { headers: { Accept: "application/vnd.illumina.v4+json", "Content-Type": "application/vnd.illumina.v3+json" } }), 406);
    expectProblem(await api("GET", path, { headers: { Accept: "application/vnd.illumina.v5+json" } }), 406);
    expectProblem(await api("GET", `/projects/${SOURCE}/data`, { headers: { Accept: "application/vnd.illumina.v4+json" } }), 406);
    expectProblem(await api("POST", `/projects/${SOURCE}/data:createFile`, { body: "name=x", headers: { "Content-Type": "text/plain" } }), 415);
    expectProblem(await api("POST", `/projects/${SOURCE}/data:createFile`, { body: { name: "x.csv" }, headers: v4 }), 415);
  });

  it("answers unknown routes and methods with Problems", async () => {
    expectProblem(await api("GET", "/nothing-here"), 404);
    expectProblem(await api("DELETE", `/projects/${SOURCE}`), 405);
  });
});

describe("ICA simulator: analyses", () => {
  it("lists V3 analyses with filters, V3 status spellings, nullable dates and paging", async () => {
    const all = await api("GET", `/projects/${SOURCE}/analyses?pageSize=1000`);
    expect(all.body.items).toHaveLength(5);
    const byId = new Map(all.body.items.map((a: { id: string }) => [a.id, a]));
    expect(byId.get(RUNNING)).toMatchObject({ status: "INPROGRESS", endDate: null });
    expect(byId.get(QUEUED)).toMatchObject({ status: "REQUESTED" });
    const running = await api("GET", `/projects/${SOURCE}/analyses?status=INPROGRESS`);
    expect(running.body.items.map((a: { id: string }) => a.id)).toEqual([RUNNING]);
    expectProblem(await api("GET", `/projects/${SOURCE}/analyses?status=IN_PROGRESS`), 400);
    const byRef = await api("GET", `/projects/${SOURCE}/analyses?reference=${encodeURIComponent(DONE_REF)}`);
    expect(byRef.body.items.map((a: { id: string }) => a.id)).toEqual([DONE]);
    const tagged = await api("GET", `/projects/${SOURCE}/analyses?usertag=nobody-uses-this`);
    expect(tagged.body.items).toEqual([]);
    // Oldest first without sort; a sort switches to offset paging.
    const page = await api("GET", `/projects/${SOURCE}/analyses?pageSize=2`);
    expect(page.body.items.map((a: { id: string }) => a.id)).toEqual([ARCHIVED, DONE]);
    expect(page.body.remainingRecords).toBe(3);
    const sorted = await api("GET", `/projects/${SOURCE}/analyses?sort=status desc, reference&pageSize=2&pageOffset=0`);
    expect(sorted.body.totalItemCount).toBe(5);
    expect(sorted.body.items[0].status).toBe("SUCCEEDED");
    expectProblem(await api("GET", `/projects/${SOURCE}/analyses?sort=colour`), 400);
  });

  it("searches with V4 statuses and answers the v3 media type with V4 items (the spec's quirk)", async () => {
    const found = await api("POST", `/projects/${SOURCE}/analysis:search`, { body: { status: ["QUEUED", "IN_PROGRESS"] } });
    expect(found.status).toBe(200);
    expect(found.contentType).toBe("application/vnd.illumina.v3+json");
    expect(found.body.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [QUEUED, "QUEUED"],
      [RUNNING, "IN_PROGRESS"],
    ]);
    expect(found.body.items[0]).toHaveProperty("owner.id");
    expectProblem(await api("POST", `/projects/${SOURCE}/analysis:search`, { body: { status: ["INPROGRESS"] } }), 400);
    const plainJson = await api("POST", `/projects/${SOURCE}/analysis:search`, {
      body: { userReference: "240308_VH00154_526_2222NMTNX_b1b2b3_c1c2c3" },
      headers: { "Content-Type": "application/json" },
    });
    expect(plainJson.body.items.map((a: { id: string }) => a.id)).toEqual([QUEUED]);
  });

  it("returns the outputs with the output folder's dataId and nested children", async () => {
    const outputs = await api("GET", `/projects/${SOURCE}/analyses/${DONE}/outputs`);
    expect(outputs.status).toBe(200);
    const [output] = outputs.body.items;
    expect(output).toMatchObject({ code: "output", projectId: SOURCE });
    const folder = output.data[0];
    expect(folder).toMatchObject({ dataType: "FOLDER", name: DONE_REF, format: { code: "UNKNOWN" } });
    const detail = await api("GET", `/projects/${SOURCE}/data/${folder.dataId}`);
    expect(detail.body.data.details.path).toBe(DONE_FOLDER);
    const outputDir = folder.children.find((c: { name: string }) => c.name === "output");
    const samples = outputDir.children.find((c: { name: string }) => c.name === "Samples");
    const fastq = samples.children[0].children[0].children[0];
    expect(fastq).toMatchObject({ dataType: "FILE", format: { code: "FASTQ" } });
    expect(fastq.dataId).toMatch(/^fil\.[0-9a-f]{32}$/);
    expectProblem(await api("GET", `/projects/${SOURCE}/analyses/bbbbbbbb-0000-4000-8000-000000000009/outputs`), 404);
  });
});
