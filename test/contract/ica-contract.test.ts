import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { namedFixture } from "../../src/simulator/fixtures/presets.js";
import type { Fixture } from "../../src/simulator/fixtures/format.js";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { send, summary, type ExchangeRequest, type RecordedExchange } from "./http-exchange.js";
import { icaSpec, icaSpecFile, validateIcaExchange } from "./spec-validator.js";

/**
 * Every ICA route the simulator serves, called the way the orchestrator calls it, with request and
 * response checked against the official OpenAPI description. The last test fails when the simulator
 * gains a route that no case here exercises, so the contract cannot silently fall behind.
 */

const missing = !existsSync(icaSpecFile);
const title = missing ? `ICA contract — skipped: ${icaSpecFile} is missing` : "ICA contract (openapi_public.yaml)";

const v3 = "application/vnd.illumina.v3+json";
const v4 = "application/vnd.illumina.v4+json";

type Obj = Record<string, unknown>;
type Call = Omit<ExchangeRequest, "path"> & { path: string; accept?: string; apiKey?: string | null };

/** The demo, with its DRAGEN pipeline written in Nextflow, so both analysis-creation endpoints have a pipeline to start. */
function demoWithNextflow(): Fixture {
  const demo = namedFixture("demo");
  const analyses = demo.ica.analyses.map((a) => (a.pipelineCode.startsWith("DRAGEN") ? { ...a, pipelineLanguage: "NEXTFLOW" as const } : a));
  return { ...demo, ica: { ...demo.ica, analyses } };
}

describe.skipIf(missing)(title, () => {
  let sim: Simulator;
  let source = "";
  let destination = "";

  beforeAll(async () => {
    sim = await startSimulator({
      fixture: demoWithNextflow(),
      timings: { icaLinkBatchMs: 0, icaArchiveMs: 0, icaUnarchiveMs: 0, icaDeleteMs: 0 },
    });
  });
  afterAll(() => sim?.stop());

  /** Calls `/ica/rest<path>` with the core's key (unless `apiKey: null`) and returns the checked exchange. */
  async function ica(call: Call): Promise<RecordedExchange> {
    const headers: Record<string, string> = { accept: call.accept ?? v3, ...call.headers };
    if (call.apiKey !== null) headers["x-api-key"] = call.apiKey ?? sim.apiKey;
    return send(sim.icaUrl, { ...call, path: `/ica/rest${call.path}`, headers });
  }

  /** The exchange has the expected status and conforms to the spec; returns the response body. */
  async function conforming(call: Call, status: number): Promise<Obj> {
    const exchange = await ica(call);
    expect(exchange.status, summary(exchange)).toBe(status);
    expect(validateIcaExchange(exchange), summary(exchange)).toEqual([]);
    return (exchange.responseBody ?? {}) as Obj;
  }

  const items = (body: Obj): Obj[] => body.items as Obj[];
  const dataOf = (projectData: Obj): Obj => projectData.data as Obj;
  const details = (projectData: Obj): Obj => dataOf(projectData).details as Obj;

  /** The demo analysis whose id starts with `prefix` (see docs/simulator.md, section fixtures). */
  async function analysis(prefix: string): Promise<Obj> {
    const body = await conforming({ method: "GET", path: `/api/projects/${source}/analyses`, query: { pageSize: "100" } }, 200);
    const found = items(body).find((a) => String(a.id).startsWith(prefix));
    if (!found) throw new Error(`demo analysis ${prefix} not listed`);
    return found;
  }

  /** The data item at `path` in the source project. */
  async function dataAt(path: string, projectId = source): Promise<Obj> {
    const body = await conforming(
      { method: "GET", path: `/api/projects/${projectId}/data`, query: { filePath: path, filePathMatchMode: "FULL_CASE_INSENSITIVE" } },
      200,
    );
    const [first] = items(body);
    if (!first) throw new Error(`no data at ${path}`);
    return first;
  }

  it("swaps the API key for a JWT", async () => {
    const body = await conforming({ method: "POST", path: "/api/tokens" }, 200);
    expect(typeof body.token).toBe("string");
  });

  it("lists projects with cursor and offset paging, filters by name, and gets one", async () => {
    const first = await conforming({ method: "GET", path: "/api/projects", query: { pageSize: "1" } }, 200);
    expect(first.nextPageToken).toBeTruthy();
    await conforming({ method: "GET", path: "/api/projects", query: { pageSize: "1", pageToken: String(first.nextPageToken) } }, 200);
    await conforming({ method: "GET", path: "/api/projects", query: { sort: "name desc", pageOffset: "0", pageSize: "10" } }, 200);
    const found = await conforming({ method: "GET", path: "/api/projects", query: { search: "core-bssh-runs", includeHiddenProjects: "true" } }, 200);
    source = String(items(found).find((p) => p.name === "core-bssh-runs")?.id);
    const dest = await conforming({ method: "GET", path: "/api/projects", query: { search: "mgi-fastq-delivery" } }, 200);
    destination = String(items(dest).find((p) => p.name === "mgi-fastq-delivery")?.id);
    const project = await conforming({ method: "GET", path: `/api/projects/${source}` }, 200);
    expect(project.name).toBe("core-bssh-runs");
  });

  it("lists, searches and gets analyses (V3 and V4) and their outputs", async () => {
    await conforming({ method: "GET", path: `/api/projects/${source}/analyses`, query: { pageSize: "5" } }, 200);
    await conforming({ method: "GET", path: `/api/projects/${source}/analyses`, query: { status: "SUCCEEDED", sort: "reference", pageOffset: "0" } }, 200);
    const searched = await conforming(
      { method: "POST", path: `/api/projects/${source}/analysis:search`, body: { status: ["SUCCEEDED", "IN_PROGRESS"] }, contentType: v3 },
      200,
    );
    expect(items(searched).length).toBeGreaterThan(0);
    const queued = await analysis("a0000005");
    expect(queued.startDate ?? null).toBeNull();
    const done = await analysis("a0000001");
    await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${String(done.id)}` }, 200);
    await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${String(done.id)}`, accept: v4 }, 200);
    const outputs = await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${String(done.id)}/outputs` }, 200);
    expect(items(outputs)[0]?.data).toBeDefined();
  });

  it("reads an analysis' inputs and configurations and starts it again (CWL structured input, Nextflow V3 and V4)", async () => {
    const rerun = async (prefix: string, route: string, contentType: string, userReference: string): Promise<Obj> => {
      const id = String((await analysis(prefix)).id);
      const original = await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${id}`, accept: v4 }, 200);
      const inputs = items(await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${id}/inputs` }, 200));
      const configurations = items(await conforming({ method: "GET", path: `/api/projects/${source}/analyses/${id}/configurations` }, 200));
      expect(inputs.length).toBeGreaterThan(0);
      const body = {
        userReference,
        pipelineId: (original.pipeline as Obj).id,
        analysisStorageId: (original.analysisStorage as Obj).id,
        tags: { technicalTags: [], userTags: ["requeue"], referenceTags: [] },
        analysisInput: {
          inputs: inputs.map((i) => ({ parameterCode: i.code, dataIds: (i.analysisData as Obj[]).map((d) => d.dataId) })),
          parameters: configurations.map((c) => (c.multiValue ? { code: c.name, multiValue: c.values } : { code: c.name, value: (c.values as string[])[0] })),
        },
      };
      const accept = contentType;
      return conforming({ method: "POST", path: `/api/projects/${source}/${route}`, body, contentType, accept, headers: { "idempotency-key": userReference } }, 201);
    };
    const failedRun = await analysis("a0000006");
    const requeued = await rerun("a0000006", "analysis:cwlWithStructuredInput", v4, `${String(failedRun.userReference)}-requeue-1`);
    expect(requeued.status).toBe("REQUESTED");
    expect((await rerun("a0000008", "analysis:nextflow", v4, "dragen-again")).status).toBe("REQUESTED");
    expect((await rerun("a0000014", "analysis:nextflow", v3, "dragen-again-v3")).status).toBe("REQUESTED");
  });

  it("lists data by path, parent folder, name, type and status; gets one item and a folder's children", async () => {
    const done = await analysis("a0000001");
    const folder = `/ilmn-analyses/${String(done.reference)}/`;
    const list = (query: Record<string, string | string[]>) => conforming({ method: "GET", path: `/api/projects/${source}/data`, query }, 200);
    const tree = await list({ filePath: folder, filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE", pageSize: "1000" });
    expect(items(tree).length).toBeGreaterThan(20);
    await list({ parentFolderPath: "/scratch/" });
    await list({ filename: ["bsshoutput.json"], filenameMatchMode: "EXACT", type: "FILE" });
    await list({ status: ["ARCHIVED"], sort: "timeCreated desc", pageOffset: "0", pageSize: "50" });
    const folderItem = await dataAt(folder);
    const folderId = String(dataOf(folderItem).id);
    await conforming({ method: "GET", path: `/api/projects/${source}/data/${folderId}` }, 200);
    await conforming({ method: "GET", path: `/api/projects/${source}/data/${folderId}/children` }, 200);
    await conforming({ method: "GET", path: `/api/projects/${source}/data/${folderId}/children`, accept: v4, query: { pageSize: "10" } }, 200);
  });

  it("creates files and folders, hands out upload/download URLs and temporary credentials", async () => {
    const created = await conforming(
      { method: "POST", path: `/api/projects/${destination}/data`, body: { name: "old-style.csv", dataType: "FILE", folderPath: "/fastq_manifests/" }, contentType: v3 },
      201,
    );
    expect(details(created).status).toBe("PARTIAL");
    const file = await conforming(
      { method: "POST", path: `/api/projects/${destination}/data:createFile`, body: { name: "run.download_manifest.csv", folderPath: "/fastq_manifests/" }, contentType: v3, headers: { "idempotency-key": "contract-1" } },
      201,
    );
    await conforming({ method: "POST", path: `/api/projects/${destination}/data:createFolder`, body: { name: "reports", folderPath: "/fastq_manifests/" }, contentType: v3 }, 201);
    await conforming(
      {
        method: "POST",
        path: `/api/projects/${destination}/data:createFileWithTemporaryCredentials`,
        body: { name: "creds.csv", folderPath: "/fastq_manifests/", temporaryCredentials: { readOnlyCredentials: false } },
        contentType: v3,
      },
      201,
    );
    await conforming(
      { method: "POST", path: `/api/projects/${destination}/data:createFileWithUploadUrl`, body: { name: "url.csv", folderPath: "/fastq_manifests/" }, contentType: v3 },
      201,
    );
    const fileId = String(dataOf(file).id);
    const aws = await conforming({ method: "POST", path: `/api/projects/${destination}/data/${fileId}:createTemporaryCredentials` }, 200);
    expect(aws.awsTempCredentials).toBeDefined();
    await conforming(
      { method: "POST", path: `/api/projects/${destination}/data/${fileId}:createTemporaryCredentials`, body: { credentialsFormat: "RCLONE" }, contentType: v3 },
      200,
    );
    await conforming({ method: "POST", path: `/api/projects/${destination}/data/${fileId}:createUploadUrl` }, 200);
    const marker = await dataAt(`/ilmn-analyses/${String((await analysis("a0000001")).reference)}/bsshoutput.json`);
    await conforming({ method: "POST", path: `/api/projects/${source}/data/${String(dataOf(marker).id)}:createDownloadUrl` }, 200);
  });

  it("schedules archive, unarchive and delete", async () => {
    const aged = await analysis("a0000012");
    const folder = await dataAt(`/${String(aged.reference)}/`);
    await conforming({ method: "POST", path: `/api/projects/${source}/data/${String(dataOf(folder).id)}:archive` }, 204);
    const archived = await analysis("a0000013");
    const archivedFolder = await dataAt(`/${String(archived.reference)}/`);
    await conforming({ method: "POST", path: `/api/projects/${source}/data/${String(dataOf(archivedFolder).id)}:unarchive` }, 204);
    const scratch = await dataAt("/scratch/SampleSheet_draft.csv");
    await conforming({ method: "POST", path: `/api/projects/${source}/data/${String(dataOf(scratch).id)}:delete` }, 204);
  });

  it("links MGI FASTQs in a batch (V4) and reports the batch (V3) and its items (V3, V4)", async () => {
    const done = await analysis("a0000001");
    const tree = await conforming(
      {
        method: "GET",
        path: `/api/projects/${source}/data`,
        query: { filePath: `/ilmn-analyses/${String(done.reference)}/output/Samples/`, filePathMatchMode: "STARTS_WITH_CASE_INSENSITIVE", type: "FILE" },
      },
      200,
    );
    const mgi = items(tree).filter((d) => String(details(d).name).startsWith("M-"));
    expect(mgi).toHaveLength(8);
    const batch = await conforming(
      { method: "POST", path: `/api/projects/${destination}/dataLinkingBatch`, body: { items: mgi.map((d) => ({ dataId: dataOf(d).id })) }, contentType: v4, accept: v4 },
      201,
    );
    const batchPath = `/api/projects/${destination}/dataLinkingBatch/${String(batch.id)}`;
    await conforming({ method: "GET", path: batchPath }, 200);
    const listed = await conforming({ method: "GET", path: `${batchPath}/items`, accept: v4, query: { pageSize: "5" } }, 200);
    await conforming({ method: "GET", path: `${batchPath}/items`, query: { status: "LINKED" } }, 200);
    const [first] = items(listed);
    await conforming({ method: "GET", path: `${batchPath}/items/${String(first?.id)}`, accept: v4 }, 200);
    await conforming({ method: "GET", path: `${batchPath}/items/${String(first?.id)}` }, 200);
  });

  it("creates, reads and deletes notification channels and subscriptions, and searches the event log", async () => {
    const channel = await conforming(
      { method: "POST", path: "/api/notificationChannels", body: { type: "SQS", address: `${sim.sqsUrl}/000000000000/ica-events`, enabled: true }, contentType: v3 },
      201,
    );
    const channelPath = `/api/notificationChannels/${String(channel.id)}`;
    await conforming({ method: "GET", path: "/api/notificationChannels" }, 200);
    await conforming({ method: "GET", path: channelPath }, 200);
    const subscriptions = `/api/projects/${source}/notificationSubscriptions`;
    const subscription = await conforming(
      {
        method: "POST",
        path: subscriptions,
        body: { eventCode: "ICA_EXEC_028", notificationChannelId: channel.id, enabled: true, filterExpression: "[?($.pipeline.code =~ /.*bcl.*convert.*/i)]" },
        contentType: v3,
      },
      200,
    );
    await conforming({ method: "GET", path: subscriptions }, 200);
    await conforming({ method: "GET", path: `${subscriptions}/${String(subscription.id)}` }, 200);
    await conforming({ method: "POST", path: "/api/eventLog:search", body: { code: "ICA_EXEC_028" }, contentType: v4, accept: v4 }, 200);
    await conforming({ method: "DELETE", path: `${subscriptions}/${String(subscription.id)}` }, 204);
    await conforming({ method: "DELETE", path: channelPath }, 204);
  });

  it("answers errors with Problems the spec's `default` response describes", async () => {
    await conforming({ method: "GET", path: "/api/projects", apiKey: null }, 401);
    await conforming({ method: "GET", path: "/api/projects", apiKey: "demo-ica-key-wrong" }, 401);
    await conforming({ method: "GET", path: "/api/projects/00000000-0000-4000-8000-000000000000" }, 404);
    await conforming({ method: "GET", path: `/api/projects/${source}/data/fil.00000000000000000000000000000000` }, 404);
    const invalid = await ica({ method: "POST", path: `/api/projects/${destination}/data:createFile`, body: { folderPath: "no-slash" }, contentType: v3 });
    expect(invalid.status, summary(invalid)).toBe(400);
    expect(icaSpec().validateRequest(invalid).errors).toHaveLength(2);
    expect(icaSpec().validateResponse(invalid).errors, summary(invalid)).toEqual([]);
    await conforming({ method: "GET", path: `/api/projects/${source}`, accept: "text/csv" }, 406);
  });

  it("has a conforming case for every ICA route the simulator serves, and every route is in the spec", () => {
    const served = sim.routes().filter((r) => r.split(" ")[1]?.startsWith("/ica/rest/"));
    const inSpec = new Set(icaSpec().operationNames());
    expect(served.filter((r) => !inSpec.has(r)), "routes the simulator serves that the spec lacks").toEqual([]);
    const exercised = new Set(
      sim
        .requests()
        .requests.filter((r) => r.status !== null && r.status < 300)
        .map((r) => r.route),
    );
    expect(served.filter((r) => !exercised.has(r)), "routes without a successful contract case").toEqual([]);
  });
});
