import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SimAssumptions } from "../../src/simulator/assumption-switches.js";
import { SimClock, Scheduler } from "../../src/simulator/clock.js";
import { createBasespaceSimulator } from "../../src/simulator/basespace/index.js";
import { defaultTimings, type SimContext } from "../../src/simulator/context.js";
import { Router } from "../../src/simulator/http/router.js";
import type { Simulator } from "../../src/simulator/server.js";
import { basespaceTestFixture, bs, datasetId, runId, startBasespaceSim, TOKENS } from "./basespace-fixture.js";

const RESTORE_MS = 48 * 3600_000;
const SHARED_DATASET = "ds.shared0000000000000000000000001";
const HAND_TRASHED = "ds.bytheuser000000000000000000001";

let sim: Simulator;
beforeAll(async () => {
  sim = await startBasespaceSim({ timings: { bsRestoreMs: RESTORE_MS } });
});
beforeEach(() => sim.reset());
afterAll(() => sim.stop());

const basespaceCounts = () => sim.state().counts.basespace as Record<string, number>;

// datasetId(1) is live and not archived, datasetId(0) is archived (every 5th); runId(0) archived
// (every 4th), runId(1) Complete, runId(3) Running.

describe("BaseSpace archive", () => {
  it("flips IsArchived at once for eligible datasets and runs, without needing the swagger's Id", async () => {
    const res = await bs(sim, "POST", "/v2/archive", { body: { DatasetIds: [datasetId(1)], RunIds: [runId(1)] } });
    expect(res.status).toBe(200);
    expect(res.body).toBe("Archive requested for 1 dataset(s) and 1 run(s)");
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(1)}`)).body.IsArchived).toBe(true);
    expect((await bs(sim, "GET", `/v2/runs/${runId(1)}`)).body.IsArchived).toBe(true);
  });

  it("rejects the whole request when any id is ineligible, naming each reason", async () => {
    const before = sim.state().digest;
    const res = await bs(sim, "POST", "/v2/archive", {
      body: { DatasetIds: [datasetId(1), datasetId(0), SHARED_DATASET, HAND_TRASHED], RunIds: [runId(3)] },
    });
    expect(res.status).toBe(400);
    expect(res.body.ErrorMessage).toContain(`dataset ${datasetId(0)} is already archived`);
    expect(res.body.ErrorMessage).toContain(`dataset ${SHARED_DATASET} is shared with you`);
    expect(res.body.ErrorMessage).toContain(`dataset ${HAND_TRASHED} is in the trash`);
    expect(res.body.ErrorMessage).toContain(`run ${runId(3)} has status Running`);
    expect(res.body.AdditionalData.IneligibleIds).toHaveLength(4);
    expect(sim.state().digest).toBe(before);
  });

  it("answers 404 for an unknown id and 400 for an empty or malformed body", async () => {
    expect((await bs(sim, "POST", "/v2/archive", { body: { DatasetIds: ["ds.unknown"] } })).status).toBe(404);
    expect((await bs(sim, "POST", "/v2/archive", { body: {} })).status).toBe(400);
    expect((await bs(sim, "POST", "/v2/archive", { body: { RunIds: "300001" } })).status).toBe(400);
    const tooMany = Array.from({ length: 251 }, (_, i) => datasetId(i));
    expect((await bs(sim, "POST", "/v2/archive", { body: { DatasetIds: tooMany } })).body.ErrorMessage).toContain("at most 250");
  });

  it("refuses a body under any Content-Type but JSON with 415, changing nothing", async () => {
    const before = sim.state().digest;
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/vnd.illumina.v3+json"]) {
      const res = await bs(sim, "POST", "/v2/archive", { body: { DatasetIds: [datasetId(1)] }, headers: { "content-type": type } });
      expect(res.status).toBe(415);
      expect(res.body.ErrorMessage).toContain("send the body as application/json");
    }
    expect(sim.state().digest).toBe(before);
  });
});

describe("BaseSpace restore", () => {
  it("keeps IsArchived=true until bsRestoreMs of simulated time has passed", async () => {
    const res = await bs(sim, "POST", "/v2/restore", { body: { DatasetIds: [datasetId(0)], RunIds: [runId(0)] } });
    expect(res.status).toBe(200);
    expect(basespaceCounts().restoresPending).toBe(2);

    sim.advanceClock(RESTORE_MS - 1000);
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(0)}`)).body.IsArchived).toBe(true);
    // Asking again while it runs is harmless and does not restart the clock.
    expect((await bs(sim, "POST", "/v2/restore", { body: { DatasetIds: [datasetId(0)] } })).status).toBe(200);

    sim.advanceClock(1000);
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(0)}`)).body.IsArchived).toBe(false);
    expect((await bs(sim, "GET", `/v2/runs/${runId(0)}`)).body.IsArchived).toBe(false);
    expect(basespaceCounts().restoresPending).toBe(0);
  });

  it("refuses to restore what is not archived", async () => {
    const res = await bs(sim, "POST", "/v2/restore", { body: { DatasetIds: [datasetId(1)] } });
    expect(res.status).toBe(400);
    expect(res.body.ErrorMessage).toContain("is not archived");
  });
});

describe("BaseSpace trash", () => {
  it("moves a dataset to the trash under a new trash id and restores it from there", async () => {
    const del = await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`);
    expect(del.status).toBe(200);
    const trashId = del.body.Id as string;
    expect(trashId).not.toBe(datasetId(1));
    expect(del.body).toMatchObject({ TrashStatus: "InTrash", DeletedDataset: { Id: datasetId(1), IsDeleted: true } });

    const listed = await bs(sim, "GET", "/v2/datasets?Limit=1024&SortBy=Name");
    expect(listed.body.Paging.TotalCount).toBe(1101); // 1102 minus the trashed one
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(1)}`)).body.IsDeleted).toBe(true);
    const trash = await bs(sim, "GET", "/v2/trash?SortBy=DateDeleted&SortDir=Desc");
    expect(trash.body.Items.map((t: { Id: string }) => t.Id)).toEqual([trashId, "777000001"]);

    const again = await bs(sim, "DELETE", `/v2/datasets/${datasetId(1)}`);
    expect(again.status).toBe(400);

    const restored = await bs(sim, "POST", `/v2/trash/${trashId}/restorefromtrash`, { body: {} });
    expect(restored.body).toMatchObject({ Id: trashId, TrashStatus: "Restored" });
    expect((await bs(sim, "GET", `/v2/datasets/${datasetId(1)}`)).body.IsDeleted).toBe(false);
    expect((await bs(sim, "GET", `/v2/trash/${trashId}`)).status).toBe(404);
  });

  it("refuses to trash archived items (restore first) and other users' items", async () => {
    const archived = await bs(sim, "DELETE", `/v2/runs/${runId(0)}`);
    expect(archived.status).toBe(400);
    expect(archived.body.ErrorMessage).toContain("POST /v2/restore");
    const shared = await bs(sim, "DELETE", `/v2/datasets/ds.shared0000000000000000000000002`);
    expect(shared.status).toBe(403);
  });

  it("restore, wait, then trash: the flow the housekeeping tool needs", async () => {
    await bs(sim, "POST", "/v2/restore", { body: { RunIds: [runId(0)] } });
    expect((await bs(sim, "DELETE", `/v2/runs/${runId(0)}`)).status).toBe(400);
    sim.advanceClock(RESTORE_MS);
    expect((await bs(sim, "DELETE", `/v2/runs/${runId(0)}`)).status).toBe(200);
  });

  it("shows each user only their own trash and empties it for good", async () => {
    const collaborator = await bs(sim, "GET", "/v2/trash", { token: TOKENS.collaborator });
    expect(collaborator.body.Items.map((t: { Id: string }) => t.Id)).toEqual(["777000002"]);

    await bs(sim, "DELETE", `/v2/datasets/${datasetId(2)}`);
    await bs(sim, "DELETE", `/v2/runs/${runId(1)}`);
    expect(basespaceCounts()).toMatchObject({ inTrash: 4, permanentlyDeleted: 0 });

    const emptied = await bs(sim, "DELETE", "/v2/trash");
    expect(emptied.status).toBe(200);
    expect(emptied.body).toBeUndefined();
    expect((await bs(sim, "GET", "/v2/trash")).body.Items).toEqual([]);
    expect(basespaceCounts()).toMatchObject({ inTrash: 1, permanentlyDeleted: 3 });

    const gone = await bs(sim, "GET", `/v2/datasets/${datasetId(2)}`);
    expect(gone.status).toBe(410);
    expect(gone.body.ErrorCode).toBe("BASESPACE.COMMON.RESOURCE_REMOVED");
    expect((await bs(sim, "GET", "/v2/trash", { token: TOKENS.collaborator })).body.Items).toHaveLength(1);
  });
});

describe("BaseSpace state for /__sim/state", () => {
  it("has a snapshot that depends on operations, not on when or under which trash id they ran", async () => {
    const firstTrashId = (await bs(sim, "DELETE", `/v2/datasets/${datasetId(3)}`)).body.Id;
    const first = sim.state().digest;
    sim.reset();
    sim.advanceClock(5 * 86_400_000);
    // A trash round trip first: state ends the same, but datasetId(3) now gets a different trash id.
    const detour = await bs(sim, "DELETE", `/v2/datasets/${datasetId(4)}`);
    await bs(sim, "POST", `/v2/trash/${detour.body.Id}/restorefromtrash`, { body: {} });
    const del = await bs(sim, "DELETE", `/v2/datasets/${datasetId(3)}`);
    expect(del.body.Id).not.toBe(firstTrashId);
    expect(sim.state().digest).toBe(first);
  });

  it("counts datasets, runs, archived and trash", () => {
    expect(basespaceCounts()).toEqual({
      datasets: 1102,
      runs: 250,
      archived: 220 + 1 + 63,
      inTrash: 2,
      permanentlyDeleted: 0,
      restoresPending: 0,
    });
  });
});

describe("BaseSpace ineligible-id policy 'skip'", () => {
  it("archives the eligible ids and reports the skipped ones", async () => {
    const clock = new SimClock(Date.UTC(2025, 10, 21));
    const ctx: SimContext = {
      clock,
      scheduler: new Scheduler(clock),
      timings: defaultTimings,
      objects: sim.objects,
      faults: () => sim.faults(),
      assumptions: new SimAssumptions({ "bs.ineligible-bulk": "skip" }),
      random: () => 0.5,
      urls: () => ({ icaUrl: "http://ica", basespaceUrl: "http://bs", s3Url: "http://s3", sqsUrl: "http://sqs" }),
      queues: sim.queues,
      retired: new AbortController().signal,
    };
    const router = new Router();
    createBasespaceSimulator(ctx, basespaceTestFixture.basespace).registerRoutes(router);
    const match = router.match("POST", "/v2/archive");
    if (typeof match !== "object") throw new Error("POST /v2/archive is not routed");
    const res = await match.handler({
      method: "POST",
      path: "/v2/archive",
      query: new URLSearchParams(),
      headers: { "x-access-token": TOKENS.full, "content-type": "application/json" },
      params: match.params,
      body: Buffer.from(JSON.stringify({ DatasetIds: [datasetId(1), datasetId(0)] })),
      route: match.route,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(String(res.body))).toBe(
      `Archive requested for 1 dataset(s) and 0 run(s); skipped: dataset ${datasetId(0)} is already archived`,
    );
  });
});
