// The BaseSpace world the basespace*.test.ts files run against: one core user with >1024 datasets and
// >200 runs (paging beyond both limits), a collaborator who owns a shared project, and a trash that
// already holds items someone put there by hand.
import { fixtureSchema, type Fixture } from "../../src/simulator/fixtures/format.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";

const CORE_USER = "1001";
const COLLABORATOR = "2002";
export const CORE_PROJECT = "5001";
export const SHARED_PROJECT = "5002";
export const DATASET_COUNT = 1100;
export const RUN_COUNT = 250;

export const TOKENS = {
  full: "bs-full-token-0123456789abcdef",
  readOnly: "bs-read-only-token-0123456789",
  trashOnly: "bs-trash-only-token-012345678",
  collaborator: "bs-collaborator-token-0123456",
  emptyTrashOnly: "bs-empty-trash-only-token-0123",
} as const;

export const FULL_SCOPES = ["READ GLOBAL", "BROWSE GLOBAL", "WRITE GLOBAL", "MOVETOTRASH GLOBAL", "EMPTY TRASH"];

const pad = (n: number) => String(n).padStart(4, "0");
export const datasetId = (n: number) => `ds.${pad(n)}aaaaaaaaaaaaaaaaaaaaaaaaaaaa`;
export const runId = (n: number) => String(300000 + n);
const runStatus = (n: number) => (n % 10 === 3 ? "Running" : n % 10 === 7 ? "Failed" : "Complete");

export const basespaceTestFixture: Fixture = fixtureSchema.parse({
  version: 1,
  name: "basespace-test",
  ica: {
    tenants: [{ id: "t1", name: "Core" }],
    apiKeys: [{ key: "ica-key-for-basespace-tests", tenantId: "t1", userId: "u1" }],
    projects: [{ id: "11111111-1111-4111-8111-111111111111", name: "core-ica", tenantId: "t1" }],
    analyses: [],
  },
  basespace: {
    users: [
      { id: CORE_USER, name: "Core Facility", email: "core@example.org" },
      { id: COLLABORATOR, name: "Neighbour Lab", email: "neighbour@example.org" },
    ],
    tokens: [
      { token: TOKENS.full, userId: CORE_USER, scopes: FULL_SCOPES },
      { token: TOKENS.readOnly, userId: CORE_USER, scopes: ["READ GLOBAL", "BROWSE GLOBAL"] },
      { token: TOKENS.trashOnly, userId: CORE_USER, scopes: ["BROWSE GLOBAL", "MOVETOTRASH GLOBAL"] },
      { token: TOKENS.collaborator, userId: COLLABORATOR, scopes: FULL_SCOPES },
      { token: TOKENS.emptyTrashOnly, userId: CORE_USER, scopes: ["EMPTY TRASH"] },
    ],
    projects: [
      { id: CORE_PROJECT, name: "core-bssh-runs", ownerId: CORE_USER, createdDaysAgo: 900 },
      { id: SHARED_PROJECT, name: "neighbour-shared", ownerId: COLLABORATOR, createdDaysAgo: 800 },
    ],
    datasets: [
      ...Array.from({ length: DATASET_COUNT }, (_, i) => ({
        id: datasetId(i),
        projectId: CORE_PROJECT,
        name: `Sample_${pad(i)}_L001`,
        createdDaysAgo: 1 + (i % 700),
        sizeBytes: 1_000_000 + i,
        isArchived: i % 5 === 0,
      })),
      { id: "ds.shared0000000000000000000000001", projectId: SHARED_PROJECT, name: "Shared_1", createdDaysAgo: 400, sizeBytes: 5, isArchived: true },
      { id: "ds.shared0000000000000000000000002", projectId: SHARED_PROJECT, name: "Shared_2", createdDaysAgo: 400, sizeBytes: 6 },
    ],
    runs: Array.from({ length: RUN_COUNT }, (_, i) => ({
      id: runId(i),
      name: `run_${pad(i)}`,
      experimentName: `Exp_${pad(i)}`,
      ownerId: CORE_USER,
      status: runStatus(i),
      createdDaysAgo: 1 + (i % 600),
      sizeBytes: 10_000_000 + i,
      isArchived: i % 4 === 0,
    })),
    trash: [
      { trashId: "777000001", kind: "dataset", itemId: "ds.bytheuser000000000000000000001", name: "Deleted_By_Hand", deletedDaysAgo: 3, sizeBytes: 42, deletedByUserId: CORE_USER },
      { trashId: "777000002", kind: "run", itemId: "399999", name: "neighbour_run", deletedDaysAgo: 9, sizeBytes: 7, deletedByUserId: COLLABORATOR },
    ],
  },
});

/** The simulator with this fixture; the clock starts at a fixed instant so dates are reproducible. */
export function startBasespaceSim(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ startMs: Date.UTC(2025, 10, 21, 12), ...options, fixture: basespaceTestFixture });
}

/** One BaseSpace call with the full token unless told otherwise; parses JSON bodies. */
export async function bs(
  sim: Simulator,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON paths
): Promise<{ status: number; headers: Headers; body: any }> {
  const token = opts.token === undefined ? TOKENS.full : opts.token;
  const headers: Record<string, string> = { ...opts.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${sim.basespaceUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
}
