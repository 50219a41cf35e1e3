import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { BIG, BIG_FILES, DONE, DONE_FOLDER, SOURCE, icaApi, startIcaSim, v4 } from "./ica-harness.js";

let sim: Simulator;
let api: ReturnType<typeof icaApi>;
let bigFolder: string;

beforeAll(async () => {
  sim = await startIcaSim();
  api = icaApi(sim);
  const outputs = await api("GET", `/projects/${SOURCE}/analyses/${BIG}/outputs`);
  bigFolder = outputs.body.items[0].data[0].dataId;
});
afterAll(() => sim.stop());

interface Row {
  projectId: string;
  data: { id: string; details: { path: string; name: string; status: string; dataType: string; fileSizeInBytes?: number } };
}

const dataPath = (query: string) => `/projects/${SOURCE}/data?${query}`;
const paths = (body: { items: Row[] }) => body.items.map((r) => r.data.details.path);

/** Follows nextPageToken to the end, checking the cursor contract on the way. */
async function walk(query: string): Promise<{ rows: Row[]; pages: number; firstRemaining: number }> {
  const rows: Row[] = [];
  let token = "";
  let pages = 0;
  let firstRemaining = -1;
  do {
    const page = await api("GET", dataPath(`${query}${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`));
    expect(page.status).toBe(200);
    expect(page.body.totalItemCount).toBeUndefined();
    if (pages === 0) firstRemaining = page.body.remainingRecords;
    rows.push(...page.body.items);
    token = page.body.nextPageToken;
    pages++;
  } while (token !== "");
  return { rows, pages, firstRemaining };
}

describe("ICA simulator: data listing paging", () => {
  it("cursor-pages a recursive filePath listing of more than 1000 items exactly once each", async () => {
    const folder = await api("GET", `/projects/${SOURCE}/data/${bigFolder}`);
    const prefix: string = folder.body.data.details.path;
    // The folder, output/, Samples/, 8 lanes, and the files.
    const expected = BIG_FILES + 11;
    const { rows, pages, firstRemaining } = await walk(`filePath=${encodeURIComponent(prefix)}&pageSize=1000`);
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.data.id)).size).toBe(expected);
    expect(pages).toBe(3);
    expect(firstRemaining).toBe(expected - 1000);
    expect(rows.every((r) => r.data.details.path.startsWith(prefix))).toBe(true);
    const sortedPaths = rows.map((r) => r.data.details.path.toLowerCase());
    expect(sortedPaths).toEqual([...sortedPaths].sort());
  });

  it("clamps pageSize to the maximum and rejects bad paging parameters", async () => {
    const page = await api("GET", dataPath("pageSize=5000"));
    expect(page.body.items).toHaveLength(1000);
    expect((await api("GET", dataPath("pageSize=0"))).status).toBe(400);
    expect((await api("GET", dataPath("pageToken=garbage"))).status).toBe(400);
    expect((await api("GET", dataPath("pageToken=abc&pageOffset=0"))).status).toBe(400);
    expect((await api("GET", dataPath("pageOffset=-1"))).status).toBe(400);
    expect((await api("GET", dataPath("pageOffset=200000"))).status).toBe(400);
    // A token only continues the listing that issued it.
    const typed = await api("GET", dataPath("type=FILE&pageSize=10"));
    const replay = await api("GET", dataPath(`type=FOLDER&pageSize=10&pageToken=${encodeURIComponent(typed.body.nextPageToken)}`));
    expect(replay.status).toBe(400);
    expect(replay.contentType).toBe("application/problem+json");
  });

  it("offset-pages with sort: totalItemCount, empty nextPageToken, stable order", async () => {
    const first = await api("GET", dataPath("type=FILE&sort=fileSizeInBytes desc, name&pageSize=1000"));
    const second = await api("GET", dataPath("type=FILE&sort=fileSizeInBytes desc, name&pageSize=1000&pageOffset=1000"));
    expect(first.body).toMatchObject({ nextPageToken: "" });
    const total = first.body.totalItemCount as number;
    expect(total).toBeGreaterThan(BIG_FILES);
    expect(second.body.totalItemCount).toBe(total);
    const sizes = [...first.body.items, ...second.body.items].map((r: Row) => r.data.details.fileSizeInBytes ?? -1);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect((await api("GET", dataPath("sort=colour"))).status).toBe(400);
  });

  it("filters by type and status while cursor paging, and reports what remains", async () => {
    const { rows } = await walk("type=FILE&status=AVAILABLE&pageSize=700");
    expect(rows.every((r) => r.data.details.dataType === "FILE" && r.data.details.status === "AVAILABLE")).toBe(true);
    expect(rows.length).toBeGreaterThan(BIG_FILES);
    const archived = await api("GET", dataPath("status=ARCHIVED&status=ARCHIVING"));
    // The archived analysis: its output folder, output/, Samples/, Lane_1/, S1/ and two FASTQs.
    expect(archived.body.items).toHaveLength(7);
    expect((await api("GET", dataPath("status=GONE"))).status).toBe(400);
  });
});

describe("ICA simulator: data filters", () => {
  it("matches full paths case-insensitively, and path prefixes recursively", async () => {
    const full = await api("GET", dataPath("filePath=/FASTQ_MANIFESTS/OLD.CSV&filePathMatchMode=FULL_CASE_INSENSITIVE"));
    expect(paths(full.body)).toEqual(["/fastq_manifests/old.csv"]);
    const prefix = await api("GET", dataPath("filePath=/Fastq_Manifests/"));
    expect(paths(prefix.body)).toEqual(["/fastq_manifests/", "/fastq_manifests/Old-Upper.CSV", "/fastq_manifests/old.csv"]);
    const two = await api("GET", dataPath(`filePath=/fastq_manifests/&filePath=${encodeURIComponent(`${DONE_FOLDER}output/bssh`)}`));
    expect(paths(two.body)).toHaveLength(4);
  });

  it("lists one level by parentFolderPath or parentFolderId", async () => {
    const byPath = await api("GET", dataPath("parentFolderPath=/fastq_manifests/"));
    // Ordered by path case-insensitively: "old-upper.csv" < "old.csv".
    expect(paths(byPath.body)).toEqual(["/fastq_manifests/Old-Upper.CSV", "/fastq_manifests/old.csv"]);
    const folder = (await api("GET", `/projects/${SOURCE}/analyses/${DONE}/outputs`)).body.items[0].data[0];
    const byId = await api("GET", dataPath(`parentFolderId=${folder.dataId}`));
    expect(paths(byId.body)).toEqual([`${DONE_FOLDER}output/`]);
    expect((await api("GET", dataPath("parentFolderPath=no-slashes"))).status).toBe(400);
  });

  it("filters names EXACT (default), EXCLUDE and FUZZY", async () => {
    const exact = await api("GET", dataPath("filename=old.csv"));
    expect(paths(exact.body)).toEqual(["/fastq_manifests/old.csv"]);
    const fuzzy = await api("GET", dataPath("filename=OLD&filenameMatchMode=FUZZY"));
    expect(paths(fuzzy.body)).toEqual(["/fastq_manifests/Old-Upper.CSV", "/fastq_manifests/old.csv"]);
    const excluded = await api("GET", dataPath("filePath=/fastq_manifests/&filename=old.csv&filenameMatchMode=EXCLUDE"));
    expect(paths(excluded.body)).toEqual(["/fastq_manifests/", "/fastq_manifests/Old-Upper.CSV"]);
  });

  it("filters by creation date, format and owning project; refuses filters it does not simulate", async () => {
    const start = Date.UTC(2025, 5, 1, 12);
    const recent = new Date(start - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const newer = await api("GET", dataPath(`type=FILE&formatCode=FASTQ&creationDateAfter=${recent}&pageSize=1000`));
    expect(newer.body.items).toHaveLength(1000);
    expect(newer.body.remainingRecords).toBe(BIG_FILES / 2 - 1000);
    const older = await api("GET", dataPath(`filePath=/fastq_manifests/&creationDateBefore=${recent}`));
    // The folder was created with the files, 30 days ago.
    expect(paths(older.body)).toHaveLength(3);
    const owned = await api("GET", dataPath(`owningProjectId=${SOURCE}&pageSize=1`));
    expect(owned.body.items).toHaveLength(1);
    const notOwned = await api("GET", dataPath("owningProjectId=someone-else"));
    expect(notOwned.body.items).toEqual([]);
    expect((await api("GET", dataPath("creationDateAfter=yesterday"))).status).toBe(400);
    const unsupported = await api("GET", dataPath("fullText=fastq"));
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.detail).toContain("fullText");
  });
});

describe("ICA simulator: one item and children", () => {
  it("returns ProjectData with the required DataDetails; unknown ids are 404", async () => {
    const listed = await api("GET", dataPath("filePath=/fastq_manifests/old.csv&filePathMatchMode=FULL_CASE_INSENSITIVE"));
    const id = listed.body.items[0].data.id;
    expect(id).toMatch(/^fil\.[0-9a-f]{32}$/);
    const one = await api("GET", `/projects/${SOURCE}/data/${id}`);
    expect(one.body.projectId).toBe(SOURCE);
    expect(one.body.data.details).toMatchObject({
      owningProjectId: SOURCE,
      name: "old.csv",
      path: "/fastq_manifests/old.csv",
      status: "AVAILABLE",
      dataType: "FILE",
      fileSizeInBytes: 8,
      format: { code: "CSV" },
      tags: { userTags: [] },
    });
    for (const field of ["timeCreated", "timeModified", "tenantId"]) expect(one.body.data.details).toHaveProperty(field);
    expect((await api("GET", `/projects/${SOURCE}/data/fil.00000000000000000000000000000000`)).status).toBe(404);
  });

  it("children: V3 is a bare unpaged DataList of every descendant, V4 is paged ProjectData", async () => {
    const v3 = await api("GET", `/projects/${SOURCE}/data/${bigFolder}/children?pageSize=10`);
    expect(v3.contentType).toBe("application/vnd.illumina.v3+json");
    expect(Object.keys(v3.body)).toEqual(["items"]);
    expect(v3.body.items).toHaveLength(BIG_FILES + 10);
    expect(v3.body.items[0]).toHaveProperty("details.path");
    const page = await api("GET", `/projects/${SOURCE}/data/${bigFolder}/children?type=FILE&pageSize=1000`, { headers: v4 });
    expect(page.contentType).toBe("application/vnd.illumina.v4+json");
    expect(page.body.items).toHaveLength(1000);
    expect(page.body.items[0]).toMatchObject({ projectId: SOURCE, data: { details: { dataType: "FILE" } } });
    expect(page.body.remainingRecords).toBe(BIG_FILES - 1000);
    const next = await api("GET", `/projects/${SOURCE}/data/${bigFolder}/children?type=FILE&pageSize=1000&pageToken=${encodeURIComponent(page.body.nextPageToken)}`, {
      headers: v4,
    });
    expect(next.body.items[0].data.id).not.toBe(page.body.items[999].data.id);
  });
});
