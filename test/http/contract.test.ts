import { existsSync } from "node:fs";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BaseSpaceClient } from "../../src/basespace/client.js";
import { IcaClient, V3, V4 } from "../../src/ica/client.js";
import { toV3Status } from "../../src/ica/analysis-status.js";
import { archiveItems, findProjectsByNames, listTrash, restoreItems } from "../../src/modules/bssh-utils/index.js";
import { createFileAtPath, linkData, requestLifecycleAction, uploadViaPresignedUrl } from "../../src/modules/data-transfer/index.js";
import { resolveProject } from "../../src/modules/launch/index.js";
import { projectAnalysesSnapshot } from "../../src/modules/monitor/index.js";
import { readBsshOutputProjects } from "../../src/modules/outputs/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../../src/simulator/fixtures/identities.js";
import type { Simulator } from "../../src/simulator/server.js";
import { basespaceSpecFile, icaSpecFile, validateBasespaceExchange, validateIcaExchange, type HttpExchange } from "../contract/spec-validator.js";
import { startRecordingProxy, type Exchange, type RecordingProxy } from "./recording-proxy.js";
import { collect, fastRetry, startTestSimulator } from "./sim-harness.js";
import { filesUnder, markersUnder, outputFolderOf } from "../modules/output-helpers.js";

let sim: Simulator;
let proxy: RecordingProxy;

/** Runs a workload that touches every endpoint the clients use, through a recording proxy. */
beforeAll(async () => {
  sim = await startTestSimulator();
  proxy = await startRecordingProxy(sim.icaUrl);
  const ica = new IcaClient({ serverUrl: proxy.url, apiKey: sim.apiKey, pageSize: 3, retry: fastRetry });
  const source = await resolveProject(ica, SOURCE_PROJECT_NAME);
  const destination = await resolveProject(ica, DESTINATION_PROJECT_NAME);
  await resolveProject(ica, source.id);
  const analyses = await projectAnalysesSnapshot(ica, source.id);
  await collect(ica.listAnalysesV3(source.id, { status: toV3Status("IN_PROGRESS") }));
  const first = analyses.find((a) => a.status === "SUCCEEDED" && /bcl/i.test(a.pipeline.code));
  if (!first) throw new Error("the demo fixture has a succeeded BCLConvert analysis");
  await ica.getAnalysis(source.id, first.id);
  const folder = await outputFolderOf(ica, source.id, first);
  await ica.getData(source.id, folder.id);
  const files = await filesUnder(ica, source.id, folder.path);
  await collect(ica.listData(source.id, { parentFolderPath: folder.path }, { sort: "name" }));
  const markers = await markersUnder(ica, source.id, folder.path);
  if (markers.bsshOutput) await readBsshOutputProjects(ica, source.id, markers.bsshOutput);
  await linkData(ica, destination.id, files.slice(0, 4).map((f) => f.id), { poll: { initialDelayMs: 1 } });
  await createFileAtPath(ica, destination.id, { folderPath: "/fastq_manifests/", name: "contract.csv" }, { idempotencyKey: "c-1" });
  await createFileAtPath(ica, destination.id, { folderPath: "/fastq_manifests/", name: "contract.csv" }, { idempotencyKey: "c-2" });
  const manifest = await createFileAtPath(ica, destination.id, { folderPath: "/fastq_manifests/", name: "contract.csv" }, { idempotencyKey: "c-3" });
  await uploadViaPresignedUrl(ica, destination.id, manifest.file.id, Buffer.from("a,b\n"), "text/csv");
  await ica.getData(destination.id, manifest.file.id);
  const upload = await createFileAtPath(ica, destination.id, { folderPath: "/t/", name: "t.bin" }, { idempotencyKey: "c-4" });
  await ica.createTemporaryCredentials(destination.id, upload.file.id, { readOnly: false });
  await requestLifecycleAction(ica, source.id, folder.id, "archive");

  const bs = new BaseSpaceClient({ apiServer: proxy.url, accessToken: sim.basespaceToken, pageSize: 2, retry: fastRetry });
  await bs.getTokenScopes();
  await bs.getCurrentUser();
  const [project] = (await findProjectsByNames(bs, ["CoreRuns_2025_Q3"])).get("CoreRuns_2025_Q3") ?? [];
  const datasets = await collect(bs.listProjectDatasets(project?.id ?? ""));
  await collect(bs.listProjectDatasets(project?.id ?? "", { isArchived: false }));
  const runs = await collect(bs.listRuns());
  await listTrash(bs);
  const available = datasets.filter((d) => !d.isArchived).slice(0, 1).map((d) => d.id);
  await archiveItems(bs, { datasetIds: available });
  await restoreItems(bs, { datasetIds: available, runIds: runs.filter((r) => r.isArchived).map((r) => r.id) });
});
afterAll(async () => {
  await proxy.close();
  await sim.stop();
});

function toExchange(e: Exchange): HttpExchange {
  const url = new URL(e.url, "http://x");
  const json = (b: Buffer) => (b.length === 0 ? undefined : (JSON.parse(b.toString("utf8")) as unknown));
  const encoding = e.responseHeaders["content-encoding"];
  const responseBody = encoding === "gzip" ? gunzipSync(e.responseBody) : encoding === "br" ? brotliDecompressSync(e.responseBody) : encoding === "deflate" ? inflateSync(e.responseBody) : e.responseBody;
  return {
    method: e.method,
    path: url.pathname,
    query: url.searchParams,
    requestContentType: e.requestHeaders["content-type"],
    requestBody: json(e.requestBody),
    status: e.status,
    responseContentType: e.responseHeaders["content-type"],
    responseBody: json(responseBody),
  };
}

const ica = () => proxy.exchanges.filter((e) => e.url.startsWith("/ica/rest/"));

describe("client traffic against the API descriptions", () => {
  // The specs are fixtures from ../shared, not part of the repo: without them these two checks skip, saying why.
  const icaMissing = !existsSync(icaSpecFile);
  const basespaceMissing = !existsSync(basespaceSpecFile);
  const icaTitle = icaMissing ? `every ICA exchange conforms to the OpenAPI spec — skipped: ${icaSpecFile} is missing` : "every ICA exchange conforms to the OpenAPI spec";
  const basespaceTitle = basespaceMissing
    ? `every BaseSpace v2 exchange conforms to the swagger — skipped: ${basespaceSpecFile} is missing`
    : "every BaseSpace v2 exchange conforms to the swagger";

  it.skipIf(icaMissing)(icaTitle, () => {
    expect(ica().length).toBeGreaterThan(30);
    const errors = ica().flatMap((e) => validateIcaExchange(toExchange(e)));
    expect(errors).toEqual([]);
  });

  it.skipIf(basespaceMissing)(basespaceTitle, () => {
    const v2 = proxy.exchanges.filter((e) => e.url.startsWith("/v2/"));
    expect(v2.length).toBeGreaterThan(8);
    expect(v2.flatMap((e) => validateBasespaceExchange(toExchange(e)))).toEqual([]);
  });

  it("sends the media type each endpoint requires, on Accept and Content-Type alike", () => {
    const v4Routes = [
      /^GET \/ica\/rest\/api\/projects\/[^/]+\/analyses\/[^/]+$/,
      /^POST \/ica\/rest\/api\/projects\/[^/]+\/dataLinkingBatch$/,
      /^GET \/ica\/rest\/api\/projects\/[^/]+\/dataLinkingBatch\/[^/]+\/items$/,
    ];
    const seen = new Set<string>();
    for (const e of ica()) {
      const line = `${e.method} ${e.url.split("?")[0]}`;
      const expected = v4Routes.some((r) => r.test(line)) ? V4 : V3;
      if (expected === V4) seen.add(line.replace(/[0-9a-f-]{36}/g, "{id}"));
      expect(e.requestHeaders.accept, line).toBe(expected);
      if (e.requestBody.length > 0) expect(e.requestHeaders["content-type"], line).toBe(expected);
      else expect(e.requestHeaders["content-type"], line).toBeUndefined();
      if (e.status < 300 && e.responseBody.length > 0) expect(e.responseHeaders["content-type"], line).toContain(expected);
    }
    expect(seen.size).toBe(3);
    // analysis:search: asked for as v3, answered with the AnalysisPagedListV4 schema (spec L4245).
    const search = ica().find((e) => e.url.includes("analysis:search"));
    expect(search?.requestHeaders.accept).toBe(V3);
  });

  it("always sends Limit to BaseSpace, in the case each API version documents", () => {
    const lists = proxy.exchanges.filter((e) => /^\/(v2\/(projects\/[^/]+\/datasets|runs|trash)|v1pre3\/users\/current\/projects)\?/.test(e.url));
    expect(lists.length).toBeGreaterThan(4);
    for (const e of lists) {
      const query = new URL(e.url, "http://x").searchParams;
      if (e.url.startsWith("/v1pre3/")) expect([query.get("Limit"), query.has("Offset")]).toEqual(["2", true]);
      else expect([query.get("limit"), query.has("offset")]).toEqual(["2", true]);
      expect(e.requestHeaders.authorization).toBe(`Bearer ${sim.basespaceToken}`);
    }
  });
});
