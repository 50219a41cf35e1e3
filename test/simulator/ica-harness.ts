// Shared by the ica*.test.ts files: a small ICA world (two tenants, a data-sharing source project, a
// destination, a project that refuses sharing) served over real HTTP by startSimulator().
import type { SimTimings } from "../../src/simulator/context.js";
import type { FixtureInput } from "../../src/simulator/fixtures/format.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";

const KEY = "ica-key-core-0123456789abcdef";
export const OTHER_KEY = "ica-key-other-lab-0123456789";

export const SOURCE = "1a1a1a1a-0000-4000-8000-000000000001";
export const DEST = "2b2b2b2b-0000-4000-8000-000000000002";
export const LOCKED = "3c3c3c3c-0000-4000-8000-000000000003";
export const FOREIGN = "4d4d4d4d-0000-4000-8000-000000000004";

export const DONE = "aaaaaaaa-0000-4000-8000-000000000001";
export const QUEUED = "aaaaaaaa-0000-4000-8000-000000000002";
export const RUNNING = "aaaaaaaa-0000-4000-8000-000000000003";
export const ARCHIVED = "aaaaaaaa-0000-4000-8000-000000000004";
export const BIG = "aaaaaaaa-0000-4000-8000-000000000005";

export const DONE_REF = `20240529_LH00619_0013_B22CCFJLT4_a912e3_9d578d-BclConvert_v4_1_23_patch1-${DONE}`;
export const DONE_FOLDER = `/ilmn-analyses/${DONE_REF}/`;
export const BIG_FILES = 2_500;

const fastqs = (lanes: number, samples: number) =>
  Array.from({ length: lanes }, (_, l) =>
    Array.from({ length: samples }, (_, s) =>
      [1, 2].map((r) => ({
        path: `output/Samples/Lane_${l + 1}/S${s + 1}/S${s + 1}_S${s + 1}_L00${l + 1}_R${r}_001.fastq.gz`,
        sizeBytes: 1_000 + l * 100 + s * 10 + r,
      })),
    ),
  ).flat(2);

type AnalysisInput = FixtureInput["ica"]["analyses"][number];

const analysis = (id: string, reference: string, status: AnalysisInput["status"], extra: Partial<AnalysisInput> = {}): AnalysisInput => ({
  id,
  projectId: SOURCE,
  reference,
  userReference: reference.slice(0, reference.indexOf("-")),
  pipelineCode: "BclConvert_v4_1_23_patch1",
  status,
  createdDaysAgo: 10,
  startDaysAgo: 10,
  endDaysAgo: status === "SUCCEEDED" ? 9 : null,
  ...extra,
});

export function icaTestFixture(): FixtureInput {
  return {
    version: 1,
    name: "ica-test",
    ica: {
      tenants: [
        { id: "t-core", name: "sequencing-core" },
        { id: "t-other", name: "other-lab" },
      ],
      apiKeys: [
        { key: KEY, tenantId: "t-core", userId: "u-core" },
        { key: OTHER_KEY, tenantId: "t-other", userId: "u-other" },
      ],
      projects: [
        { id: SOURCE, name: "core-bssh-runs", tenantId: "t-core" },
        { id: DEST, name: "mgi-fastq-delivery", tenantId: "t-core" },
        { id: LOCKED, name: "locked-project", tenantId: "t-core", dataSharingEnabled: false },
        { id: FOREIGN, name: "other-lab-project", tenantId: "t-other" },
      ],
      analyses: [
        analysis(DONE, DONE_REF, "SUCCEEDED", {
          createdDaysAgo: 12,
          files: [...fastqs(2, 3), { path: "output/bsshoutput.json", content: '{"Projects":{"p1":{"Name":"Run1"}}}' }],
        }),
        analysis(QUEUED, `240308_VH00154_526_2222NMTNX_b1b2b3_c1c2c3-BclConvert_v4_2_7-${QUEUED}`, "QUEUED", { createdDaysAgo: 3 }),
        analysis(RUNNING, `240309_VH00154_527_3333NMTNX_d1d2d3_e1e2e3-BclConvert_v4_2_7-${RUNNING}`, "IN_PROGRESS", { createdDaysAgo: 2 }),
        analysis(ARCHIVED, `230101_VH00154_100_1111NMTNX_f1f2f3_a1a2a3-BclConvert_v4_1_5-${ARCHIVED}`, "SUCCEEDED", {
          createdDaysAgo: 400,
          outputStatus: "ARCHIVED",
          files: fastqs(1, 1),
        }),
        analysis(BIG, `240601_LH00619_0100_BIGFLOWCELL_aaaaaa_bbbbbb-BclConvert_v4_2_7-${BIG}`, "SUCCEEDED", {
          createdDaysAgo: 5,
          files: Array.from({ length: BIG_FILES }, (_, i) => ({
            path: `output/Samples/Lane_${(i % 8) + 1}/B${String(i).padStart(4, "0")}_R1_001.fastq.gz`,
            sizeBytes: i,
            createdDaysAgo: i % 2 === 0 ? 1 : 4,
          })),
        }),
      ],
      files: [
        { projectId: SOURCE, path: "/fastq_manifests/old.csv", content: "a,b\n1,2\n", createdDaysAgo: 30 },
        { projectId: SOURCE, path: "/fastq_manifests/Old-Upper.CSV", sizeBytes: 5, createdDaysAgo: 30 },
        { projectId: LOCKED, path: "/private/secret.fastq.gz", sizeBytes: 10 },
        { projectId: FOREIGN, path: "/foreign/x.txt", content: "x" },
      ],
    },
    basespace: {
      users: [{ id: "1", name: "Core", email: "core@example.org" }],
      tokens: [{ token: "bs-token-for-ica-tests-0123456", userId: "1", scopes: [] }],
      projects: [],
      datasets: [],
      runs: [],
    },
  };
}

/** Long delays by default, so tests see the transit states and move the clock themselves. */
export const slowTimings: Partial<SimTimings> = {
  icaArchiveMs: 60_000,
  icaUnarchiveMs: 3_600_000,
  icaDeleteMs: 30_000,
  icaLinkBatchMs: 10_000,
};

export function startIcaSim(timings: Partial<SimTimings> = slowTimings, fixture: FixtureInput = icaTestFixture()): Promise<Simulator> {
  return startSimulator({ fixture, timings, startMs: Date.UTC(2025, 5, 1, 12) });
}

export interface ApiResponse {
  status: number;
  contentType: string | null;
  // Tests read whatever shape the operation returns.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  key?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Calls `/ica/rest/api<path>` with the core tenant's API key unless told otherwise. */
export function icaApi(sim: Simulator): (method: string, path: string, options?: CallOptions) => Promise<ApiResponse> {
  return async (method, path, options = {}) => {
    const key = options.key === undefined ? KEY : options.key;
    const headers: Record<string, string> = { ...(key ? { "X-API-Key": key } : {}), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/vnd.illumina.v3+json";
    }
    // The simulator refuses calls without a vendor Accept (406), as a client must always send one.
    const contentType = headers["Content-Type"] ?? "";
    headers.Accept ??= contentType.startsWith("application/vnd.illumina.") ? contentType : "application/vnd.illumina.v3+json";
    const response = await fetch(`${sim.icaUrl}/ica/rest/api${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get("content-type"), body: text ? JSON.parse(text) : undefined };
  };
}

export const v4 = { Accept: "application/vnd.illumina.v4+json", "Content-Type": "application/vnd.illumina.v4+json" };
