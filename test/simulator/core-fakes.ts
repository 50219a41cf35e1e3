// Small services honouring the SimService contract, so the core (dispatch, faults, control plane) is
// tested on its own, independently of the real ICA/BaseSpace/S3 simulators.
import type { ObjectStore, SimContext, SimService } from "../../src/simulator/context.js";
import { fixtureSchema, type Fixture, type IcaFixture } from "../../src/simulator/fixtures/format.js";
import { launchSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/launch.js";
import type { S3Context, ServiceFactories } from "../../src/simulator/world.js";

export const fakeFixture: Fixture = fixtureSchema.parse({
  version: 1,
  name: "core-fake",
  ica: {
    tenants: [{ id: "t1", name: "Core" }],
    apiKeys: [{ key: "fixture-ica-key", tenantId: "t1", userId: "u1" }],
    projects: [{ id: "11111111-1111-4111-8111-111111111111", name: "Run_Project", tenantId: "t1", createdDaysAgo: 2 }],
    analyses: [],
    files: [
      { projectId: "11111111-1111-4111-8111-111111111111", path: "/manifests/a.csv", sizeBytes: 10 },
      { projectId: "11111111-1111-4111-8111-111111111111", path: "/manifests/b.csv", sizeBytes: 20 },
    ],
  },
  basespace: {
    users: [{ id: "42", name: "Core User", email: "core@example.org" }],
    tokens: [{ token: "fixture-bs-token", userId: "42", scopes: ["READ GLOBAL"] }],
    projects: [],
    datasets: [],
    runs: [],
  },
});

interface FakeData {
  id: string;
  path: string;
  status: string;
  timeCreated: string;
}

const dayMs = 86_400_000;

function fakeIca(ctx: SimContext, fixture: IcaFixture): SimService {
  const project = fixture.projects[0];
  if (!project) throw new Error("the fake fixture has one project");
  const data = new Map<string, FakeData>();
  fixture.files.forEach((f, i) => {
    data.set(`fil.${i}`, {
      id: `fil.${i}`,
      path: f.path,
      status: f.status,
      timeCreated: new Date(ctx.clock.now() - (f.createdDaysAgo ?? 1) * dayMs).toISOString(),
    });
  });
  const page = Buffer.from(
    JSON.stringify({
      items: Array.from({ length: 1000 }, (_, i) => ({ id: `fil.page${i}`, name: `sample_${i}_R1_001.fastq.gz`, size: i })),
    }),
  );
  return {
    registerRoutes(router) {
      router
        .add("GET", "/ica/rest/api/projects", (req) =>
          req.headers["x-api-key"] === fixture.apiKeys[0]?.key
            ? { status: 200, body: { items: [{ id: project.id, name: project.name }] } }
            : { status: 401, body: { detail: "bad key" } },
        )
        .add("GET", "/ica/rest/api/projects/{projectId}/data/{dataId}", (req) => {
          const item = data.get(req.params.dataId ?? "");
          return item ? { status: 200, body: item } : { status: 404, body: { detail: "no such data" } };
        })
        .add("POST", "/ica/rest/api/projects/{projectId}/data/{dataId}:archive", (req) => {
          const item = data.get(req.params.dataId ?? "");
          if (!item) return { status: 404, body: { detail: "no such data" } };
          item.status = "ARCHIVING";
          ctx.scheduler.after(ctx.timings.icaArchiveMs, () => {
            item.status = "ARCHIVED";
          });
          return { status: 204 };
        })
        .add("POST", "/ica/rest/api/projects/{projectId}/data:createFile", (req) => {
          const { name } = JSON.parse(req.body.toString()) as { name: string };
          const id = `fil.${Math.floor(ctx.random() * 1e9).toString(16)}`;
          const item = { id, path: `/${name}`, status: "PARTIAL", timeCreated: new Date(ctx.clock.now()).toISOString() };
          data.set(id, item);
          return { status: 201, headers: { "Content-Type": "application/vnd.illumina.v3+json" }, body: item };
        })
        .add("POST", "/ica/rest/api/projects/{projectId}/analysis:search", () => ({ status: 200, body: { items: [] } }))
        .add("GET", "/ica/rest/api/page", () => ({
          status: 200,
          headers: { "content-type": "application/vnd.illumina.v3+json" },
          body: page,
        }))
        .add("GET", "/ica/rest/api/boom", () => {
          throw new Error("kaboom in the fake handler");
        });
    },
    snapshot: () => [...data.values()].sort((a, b) => a.id.localeCompare(b.id)),
    counts: () => ({
      data: data.size,
      byStatus: [...data.values()].reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.status]: (acc[d.status] ?? 0) + 1 }), {}),
    }),
  };
}

function fakeBasespace(_ctx: SimContext, fixture: Fixture["basespace"]): SimService {
  const user = fixture.users[0];
  return {
    registerRoutes(router) {
      router.add("GET", "/v2/users/current", () => ({ status: 200, body: { Id: user?.id, Name: user?.name } }));
      router.add("GET", "/v1pre3/users/current", () => ({ status: 200, body: { Response: { Id: user?.id } } }));
    },
    snapshot: () => ({ users: fixture.users }),
    counts: () => ({ users: fixture.users.length }),
  };
}

function fakeS3(ctx: S3Context): SimService & { store: ObjectStore } {
  const objects = new Map<string, Buffer>();
  const listeners: ((key: string, size: number) => void)[] = [];
  const store: ObjectStore = {
    bucket: "sim-bucket",
    region: "us-east-1",
    issueCredentials: (objectPrefix, { readOnly }) => ({
      accessKey: "AKIAFAKE",
      secretKey: "fake-secret",
      sessionToken: "fake-session",
      region: "us-east-1",
      bucket: "sim-bucket",
      objectPrefix,
      readOnly,
      expiresAtMs: ctx.clock.now() + ctx.timings.credentialsTtlMs,
    }),
    presignedUrl: (_method, key) => `${ctx.urls().s3Url}/sim-bucket/${key}`,
    put(key, bytes) {
      objects.set(key, bytes);
      for (const listener of listeners) listener(key, bytes.length);
    },
    get: (key) => objects.get(key),
    delete: (key) => void objects.delete(key),
    onWrite: (listener) => void listeners.push(listener),
    etagOf: (key) => (objects.has(key) ? '"fake"' : undefined),
    serveGenerated: () => undefined,
  };
  return {
    store,
    registerRoutes(router) {
      router.add("PUT", "/{bucket}/{key}", (req) => {
        store.put(req.params.key ?? "", req.body);
        return { status: 200, headers: { etag: '"fake"' } };
      });
      router.add("GET", "/{bucket}/{key}", (req) => {
        const bytes = store.get(req.params.key ?? "");
        return bytes ? { status: 200, body: bytes } : { status: 404, body: "<Error><Code>NoSuchKey</Code></Error>" };
      });
    },
    snapshot: () => [...objects.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.toString("base64")]),
    counts: () => ({ objects: objects.size }),
  };
}

const fakeServices: ServiceFactories = { ica: fakeIca, basespace: fakeBasespace, s3: fakeS3 };

export function startFake(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return launchSimulator(fakeServices, { ...options, fixture: fakeFixture });
}

export const projectId = "11111111-1111-4111-8111-111111111111";
