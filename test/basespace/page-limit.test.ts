import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Simulator } from "../../src/simulator/server.js";
import { bsClientFor, collect, startTestSimulator } from "../http/sim-harness.js";

/** The demo plus more datasets than a page of 100 holds, so a clamped listing takes several pages. */
function fixtureWithPages(): Fixture {
  const f = namedFixture("demo");
  const ownerId = f.basespace.users[0]?.id as string;
  f.basespace.projects.push({ id: "777000778", name: "Paged_Project", ownerId, createdDaysAgo: 300 });
  for (let i = 0; i < 150; i++) {
    f.basespace.datasets.push({ id: `ds.${i.toString(16).padStart(32, "0")}`, projectId: "777000778", name: `PAGED-${i}`, createdDaysAgo: 100, sizeBytes: 10, isArchived: false });
  }
  return f;
}

// Ledger bs.page-limit, read from the pages a listing fetches anyway (BaseSpaceClient.pageLimit).
describe("bs.page-limit: what the listing's pages show", () => {
  let sim: Simulator;
  let total: number;
  beforeAll(async () => {
    sim = await startTestSimulator({ fixture: fixtureWithPages() });
    total = (await collect(bsClientFor(sim).listDatasets())).length;
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.stop());

  it("limit=1024 echoed back confirms it, in one request", async () => {
    const bs = bsClientFor(sim);
    const since = sim.requests().lastSeq;
    expect(await collect(bs.listDatasets())).toHaveLength(total);
    expect(sim.requests(since).requests).toHaveLength(1);
    expect(bs.pageLimit.verdict()).toEqual({ verdict: "confirmed", evidence: expect.stringContaining("accepted limit=1024") });
  });

  it("pages clamped to 100 contradict it, and every item is still listed", async () => {
    sim.setAssumptions({ "bs.page-limit": "clamped-100" });
    const bs = bsClientFor(sim);
    expect(await collect(bs.listDatasets())).toHaveLength(total);
    expect(bs.pageLimit.verdict()).toEqual({ verdict: "contradicted", evidence: "/v2/datasets asked for limit=1024, Paging.Limit says 100" });
  });

  it("a 400 for limit=1024 is asked once more at 100, which then holds: contradicted, every item listed", async () => {
    sim.setAssumptions({ "bs.page-limit": "rejected" });
    const bs = bsClientFor(sim);
    const since = sim.requests().lastSeq;
    expect(await collect(bs.listDatasets())).toHaveLength(total);
    // One refused page, then pages of 100 only: the refusal is not repeated for each page.
    const statuses = sim.requests(since).requests.map((r) => r.status);
    expect(statuses).toEqual([400, ...Array<number>(Math.ceil(total / 100)).fill(200)]);
    expect(bs.pageLimit.verdict()?.verdict).toBe("contradicted");
    expect(bs.pageLimit.verdict()?.evidence).toMatch(/limit=1024 answered 400 .*limit=100 was accepted/);
  });
});
