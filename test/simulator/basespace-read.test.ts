import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import {
  bs,
  CORE_PROJECT,
  DATASET_COUNT,
  FULL_SCOPES,
  RUN_COUNT,
  SHARED_PROJECT,
  startBasespaceSim,
  TOKENS,
} from "./basespace-fixture.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startBasespaceSim();
});
afterAll(() => sim.stop());

/** Pages through a v2 list the way a correct client does, with the given page size. */
async function collectV2(path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for (let offset = 0; ; offset += limit) {
    const sep = path.includes("?") ? "&" : "?";
    const { status, body } = await bs(sim, "GET", `${path}${sep}Offset=${offset}&Limit=${limit}`);
    expect(status).toBe(200);
    pages++;
    ids.push(...body.Items.map((i: { Id: string }) => i.Id));
    expect(body.Paging.DisplayedCount).toBe(body.Items.length);
    if (offset + body.Paging.DisplayedCount >= body.Paging.TotalCount || body.Paging.DisplayedCount === 0) break;
  }
  return { ids, pages };
}

describe("BaseSpace authentication", () => {
  it.each([
    ["Authorization: Bearer", { authorization: `Bearer ${TOKENS.readOnly}` }, ""],
    ["x-access-token", { "x-access-token": TOKENS.readOnly }, ""],
    ["access_token query", {}, `?access_token=${TOKENS.readOnly}`],
  ])("accepts the token by %s", async (_how, headers, query) => {
    const res = await bs(sim, "GET", `/v2/users/current${query}`, { token: null, headers });
    expect(res.status).toBe(200);
    expect(res.body.Id).toBe("1001");
  });

  it("refuses a missing or unknown token with 401 in each version's error shape, never echoing the token", async () => {
    const none = await bs(sim, "GET", "/v2/datasets", { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ErrorCode: "Unauthorized", AdditionalData: {} });
    expect(none.body.RequestId).toBe(none.headers.get("x-request-id"));

    const unknown = await bs(sim, "GET", "/v1pre3/users/current", { token: "not-a-real-token-123" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.ResponseStatus.ErrorCode).toBe("Unauthorized");
    expect(JSON.stringify(unknown.body)).not.toContain("not-a-real-token-123");
  });

  it("gives every response its own request id", async () => {
    const a = await bs(sim, "GET", "/v2/users/current");
    const b = await bs(sim, "GET", "/v2/users/current");
    expect(a.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });
});

describe("BaseSpace scopes", () => {
  it("reports the token's scopes and masks the token itself", async () => {
    const { status, body } = await bs(sim, "GET", "/v1pre3/oauthv2/token/current");
    expect(status).toBe(200);
    expect(body.Response.Scopes).toEqual(FULL_SCOPES);
    expect(body.Response.AccessToken).toBe(`****${TOKENS.full.slice(-4)}`);
    expect(body.ResponseStatus).toEqual({});
  });

  it.each([
    ["DELETE", "/v2/datasets/ds.0001aaaaaaaaaaaaaaaaaaaaaaaaaaaa", TOKENS.readOnly, "MOVETOTRASH GLOBAL"],
    ["POST", "/v2/archive", TOKENS.readOnly, "WRITE GLOBAL"],
    ["POST", "/v2/restore", TOKENS.trashOnly, "WRITE GLOBAL"],
    ["DELETE", "/v2/trash", TOKENS.trashOnly, "EMPTY TRASH"],
  ])("%s %s without the scope is 403 and changes nothing", async (method, path, token, scope) => {
    const before = sim.state().digest;
    const res = await bs(sim, method, path, { token, body: method === "POST" ? { DatasetIds: ["x"] } : undefined });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ ErrorCode: "Forbidden", AdditionalData: { RequiredScopes: [scope] } });
    expect(sim.state().digest).toBe(before);
  });

  it("answers a v1pre3 route's 403 in the v1pre3 envelope; BROWSE GLOBAL alone suffices for reading", async () => {
    const denied = await bs(sim, "GET", "/v1pre3/users/current/projects", { token: TOKENS.emptyTrashOnly });
    expect(denied.status).toBe(403);
    expect(denied.body.ResponseStatus).toMatchObject({ ErrorCode: "Forbidden" });
    expect(denied.body.ResponseStatus.Message).toContain("BROWSE GLOBAL");

    const browse = await bs(sim, "GET", "/v1pre3/users/current/projects", { token: TOKENS.trashOnly });
    expect(browse.status).toBe(200);
    const trash = await bs(sim, "GET", "/v2/trash", { token: TOKENS.trashOnly });
    expect(trash.status).toBe(200);
  });
});

describe("BaseSpace v1pre3 envelope", () => {
  it("wraps users/current and lists in {Response, ResponseStatus, Notifications}", async () => {
    const user = await bs(sim, "GET", "/v1pre3/users/current");
    expect(user.body).toMatchObject({ Response: { Id: "1001", Email: "core@example.org" }, ResponseStatus: {}, Notifications: [] });
    expect(user.body.Response.DateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);

    const projects = await bs(sim, "GET", "/v1pre3/users/current/projects?Limit=1&Offset=1");
    expect(projects.body.Response).toMatchObject({ DisplayedCount: 1, TotalCount: 2, Offset: 1, Limit: 1, SortBy: "Id", SortDir: "Asc" });
    expect(projects.body.Response.Items[0]).toMatchObject({ Id: SHARED_PROJECT, UserOwnedBy: { Id: "2002" } });
  });

  it("pages v1pre3 runs beyond 200 items with a Statuses filter", async () => {
    const all: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const { body } = await bs(sim, "GET", `/v1pre3/users/current/runs?Statuses=complete,Failed&Offset=${offset}&Limit=100&SortBy=Id`);
      all.push(...body.Response.Items.map((r: { Id: string; Status: string }) => `${r.Id}:${r.Status}`));
      if (offset + body.Response.DisplayedCount >= body.Response.TotalCount) break;
    }
    const expected = RUN_COUNT - Math.ceil((RUN_COUNT - 3) / 10);
    expect(all).toHaveLength(expected);
    expect(new Set(all).size).toBe(expected);
    expect(all.every((r) => /:(Complete|Failed)$/.test(r))).toBe(true);
  });
});

describe("BaseSpace v2 paging", () => {
  it("returns 10 items by default and clamps Limit to 1024", async () => {
    const dflt = await bs(sim, "GET", "/v2/datasets");
    expect(dflt.body.Items).toHaveLength(10);
    expect(dflt.body.Paging).toMatchObject({ Limit: 10, Offset: 0, TotalCount: DATASET_COUNT + 2, SortBy: "DateCreated" });

    const big = await bs(sim, "GET", "/v2/datasets?Limit=5000");
    expect(big.body.Items).toHaveLength(1024);
    expect(big.body.Paging.Limit).toBe(1024);
  });

  it("pages every dataset exactly once beyond 1024, and every run beyond 200", async () => {
    const datasets = await collectV2("/v2/datasets?SortBy=Name", 1024);
    expect(datasets.pages).toBe(2);
    expect(datasets.ids).toHaveLength(DATASET_COUNT + 2);
    expect(new Set(datasets.ids).size).toBe(DATASET_COUNT + 2);

    const runs = await collectV2("/v2/runs?SortBy=DateCreated&SortDir=Desc", 200);
    expect(runs.pages).toBe(2);
    expect(new Set(runs.ids).size).toBe(RUN_COUNT);
  });

  it("matches query names in any case and sorts by the requested field", async () => {
    const lower = await bs(sim, "GET", "/v2/runs?limit=3&offset=2&sortby=TotalSize&sortdir=desc");
    const upper = await bs(sim, "GET", "/v2/runs?LIMIT=3&OFFSET=2&SORTBY=totalsize&SORTDIR=Desc");
    expect(lower.body.Items).toEqual(upper.body.Items);
    const sizes = lower.body.Items.map((r: { TotalSize: number }) => r.TotalSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(lower.body.Paging).toMatchObject({ Offset: 2, Limit: 3, SortBy: "TotalSize", SortDir: "Desc" });
  });

  it("returns an empty page past the end, and 400 for bad paging values", async () => {
    const past = await bs(sim, "GET", "/v2/runs?Offset=100000");
    expect(past.body).toMatchObject({ Items: [], Paging: { DisplayedCount: 0, TotalCount: RUN_COUNT } });
    for (const q of ["SortBy=Colour", "Limit=-1", "Offset=abc", "SortDir=Up", "isarchived=maybe"]) {
      const res = await bs(sim, "GET", `/v2/datasets?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.ErrorCode).toBe("BadRequest");
    }
  });
});

describe("BaseSpace v2 resources", () => {
  it("filters datasets by project and archive state", async () => {
    const archived = await bs(sim, "GET", `/v2/projects/${CORE_PROJECT}/datasets?isarchived=True&Limit=1024`);
    expect(archived.body.Paging.TotalCount).toBe(DATASET_COUNT / 5);
    expect(archived.body.Items.every((d: { IsArchived: boolean }) => d.IsArchived)).toBe(true);

    const shared = await bs(sim, "GET", `/v2/datasets?projectid=${SHARED_PROJECT}&IsArchived=false`);
    expect(shared.body.Items.map((d: { Id: string }) => d.Id)).toEqual(["ds.shared0000000000000000000000002"]);
    expect(shared.body.Items[0].Project).toMatchObject({ Id: SHARED_PROJECT, UserOwnedBy: { Id: "2002" } });
  });

  it("reads a dataset, a run and a project by id with the fields clients rely on", async () => {
    const ds = await bs(sim, "GET", "/v2/datasets/ds.0007aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(ds.body).toMatchObject({
      Name: "Sample_0007_L001",
      TotalSize: 1_000_007,
      IsArchived: false,
      IsDeleted: false,
      UserOwnedBy: { Id: "1001" },
      Project: { Id: CORE_PROJECT, Name: "core-bssh-runs" },
      ValidationsPerformed: [],
    });
    expect(ds.body.Href).toBe(`${sim.basespaceUrl}/v2/datasets/ds.0007aaaaaaaaaaaaaaaaaaaaaaaaaaaa`);

    const run = await bs(sim, "GET", "/v2/runs/300003");
    expect(run.body).toMatchObject({ Id: "300003", Status: "Running", ExperimentName: "Exp_0003", IsArchived: false });

    const project = await bs(sim, "GET", `/v2/projects/${CORE_PROJECT}`);
    expect(project.body).toMatchObject({ Id: CORE_PROJECT, Name: "core-bssh-runs", UserOwnedBy: { Id: "1001" } });
  });

  it("answers 404 for unknown ids", async () => {
    for (const path of ["/v2/datasets/ds.nope", "/v2/runs/1", "/v2/projects/9", "/v2/projects/9/datasets", "/v2/trash/1"]) {
      const res = await bs(sim, "GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body.ErrorCode).toBe("NotFound");
    }
  });
});
