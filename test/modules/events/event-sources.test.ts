import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IcaClient } from "../../../src/ica/client.js";
import type { DeliveryTrigger, TriggerSource } from "../../../src/modules/monitor/delivery-triggers.js";
import { createEventSource } from "../../../src/modules/monitor/events/create-event-source.js";
import type { HttpEventSource } from "../../../src/modules/monitor/events/http-event-source.js";
import type { Simulator } from "../../../src/simulator/server.js";
import { instant, runAnalysis, subscribe } from "../../simulator/ica-events-harness.js";
import { icaApi, startIcaSim } from "../../simulator/ica-harness.js";

let sim: Simulator;
let dir: string;
let source: TriggerSource | undefined;
let stop = new AbortController();
const warnings: string[] = [];

beforeEach(async () => {
  sim = await startIcaSim(instant);
  dir = await mkdtemp(join(tmpdir(), "ica-events-"));
  warnings.length = 0;
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await source?.close();
  source = undefined;
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

const deps = () => ({
  ica: new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey, retry: { maxRetries: 0 } }),
  stateDir: dir,
  warn: (message: string) => warnings.push(message),
  sqs: { endpoint: sim.sqsUrl, region: "eu-central-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, visibilityTimeoutSeconds: 0 },
});

/** A position file from before the simulator started: everything in its log is new. */
const positionBeforeStart = () =>
  writeFile(join(dir, "event-log-position.json"), JSON.stringify({ version: 1, after: new Date(Date.UTC(2025, 0, 1)).toISOString(), seenAt: [] }));

/** Visible and in flight: what the queue still holds. */
const messagesIn = (queue: string) => sim.queues.depth(queue).visible + sim.queues.depth(queue).inFlight;

function iterate(s: TriggerSource, signal: AbortSignal = stop.signal): () => Promise<DeliveryTrigger> {
  const iterator = s.triggers(signal)[Symbol.asyncIterator]();
  return async () => {
    const next = await iterator.next();
    if (next.done) throw new Error(`${s.name} ended`);
    return next.value;
  };
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("HTTP event source", () => {
  it("yields one trigger per delivered SUCCEEDED event, drops duplicates, and refuses what is not an ICA event", async () => {
    const http = (await createEventSource({ kind: "http", host: "127.0.0.1", port: 0, path: "/ica-events" }, deps())) as HttpEventSource;
    source = http;
    const next = iterate(http);
    const first = next();
    const url = `http://127.0.0.1:${await http.port()}/ica-events`;
    const api = icaApi(sim);
    await subscribe(api, "HTTP", url);
    sim.setFaults({ events: { duplicateRate: 1 } });
    const id = await runAnalysis(api);
    const trigger = await first;
    expect(trigger).toMatchObject({ source: "http", analysisIds: [id] });
    expect(trigger.correlationId).toEqual(expect.any(String));

    expect((await post(url, "not json")).status).toBe(400);
    expect((await post(url, { hello: "world" })).status).toBe(400);
    expect((await post(`${url}/other`, {})).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    // The duplicate of the SUCCEEDED event, sent again by hand too, never becomes a second trigger.
    const again = { correlationId: trigger.correlationId, eventCode: "ICA_EXEC_028", eventParameters: { pipelineExecution: id, analysisStatus: "SUCCEEDED" } };
    expect((await post(url, again)).status).toBe(204);
    const other = { ...again, correlationId: "another-event", eventParameters: { pipelineExecution: "b0000000-0000-4000-8000-000000000001", analysisStatus: "SUCCEEDED" } };
    await post(url, other);
    expect((await next()).analysisIds).toEqual(["b0000000-0000-4000-8000-000000000001"]);
  });

  it("reads the event log from the last position after a restart, before live events, and moves the position once handled", async () => {
    await positionBeforeStart();
    const api = icaApi(sim);
    await runAnalysis(api);
    source = await createEventSource({ kind: "http", host: "127.0.0.1", port: 0, path: "/ica-events" }, deps());
    const missed = await iterate(source)();
    expect(missed).toMatchObject({ source: "event-log", analysisIds: [] });
    await missed.settle("handled");
    const position = JSON.parse(await readFile(join(dir, "event-log-position.json"), "utf8"));
    expect(position.seenAt.length).toBeGreaterThan(0);
    await source.close();

    // Restarted with nothing new in the log: no event-log trigger, live events come through.
    const restarted = (await createEventSource({ kind: "http", host: "127.0.0.1", port: 0, path: "/ica-events" }, deps())) as HttpEventSource;
    source = restarted;
    const next = iterate(restarted)();
    const live = { correlationId: "live-1", eventCode: "ICA_EXEC_028", eventParameters: { pipelineExecution: "c0000000-0000-4000-8000-000000000001", analysisStatus: "SUCCEEDED" } };
    await post(`http://127.0.0.1:${await restarted.port()}/ica-events`, live);
    expect(await next).toMatchObject({ source: "http", correlationId: "live-1" });
  });
});

describe("SQS event source", () => {
  it("deletes a message only when its trigger is handled; a retried one comes back", async () => {
    const api = icaApi(sim);
    const queueUrl = `${sim.sqsUrl}/000000000000/ica-events`;
    await subscribe(api, "SQS", queueUrl);
    source = await createEventSource({ kind: "sqs", queueUrl }, deps());
    const next = iterate(source);
    const id = await runAnalysis(api);
    const trigger = await next();
    expect(trigger).toMatchObject({ source: "sqs", analysisIds: [id] });
    // QUEUED and IN_PROGRESS asked for nothing and are gone; the SUCCEEDED one waits for its outcome.
    expect(messagesIn("ica-events")).toBe(1);
    await trigger.settle("retry");
    expect(messagesIn("ica-events")).toBe(1);
    const again = await next();
    expect(again.correlationId).toBe(trigger.correlationId);
    await again.settle("handled");
    expect(messagesIn("ica-events")).toBe(0);
  });

  it("turns a duplicated delivery into one trigger and leaves a message that is not an ICA event for the dead-letter queue", async () => {
    const api = icaApi(sim);
    const queueUrl = `${sim.sqsUrl}/000000000000/ica-events`;
    await subscribe(api, "SQS", queueUrl);
    sim.queues.send("ica-events", "garbage");
    sim.setFaults({ events: { duplicateRate: 1 } });
    source = await createEventSource({ kind: "sqs", queueUrl }, deps());
    const next = iterate(source);
    await runAnalysis(api);
    const trigger = await next();
    await trigger.settle("handled");
    // The source reads on (the duplicate is in the same batch) and finds no second trigger.
    let second: DeliveryTrigger | undefined;
    next().then((t) => (second = t), () => undefined);
    expect(warnings.some((w) => w.includes("is not an ICA event"))).toBe(true);
    // What is left is the garbage message; the duplicate was deleted.
    await expect.poll(() => messagesIn("ica-events")).toBe(1);
    expect(second).toBeUndefined();
  });

  it("reads the event log after the queue could not be read, before trusting queue messages again", async () => {
    await positionBeforeStart();
    const api = icaApi(sim);
    await runAnalysis(api);
    const missing = `${sim.sqsUrl}/000000000000/not-created-yet`;
    source = await createEventSource({ kind: "sqs", queueUrl: missing }, deps());
    const next = iterate(source);
    // At the start: the log first.
    const atStart = await next();
    expect(atStart).toMatchObject({ source: "event-log", analysisIds: [] });
    await atStart.settle("handled");
    // The queue cannot be read; while it cannot, ICA's deliveries may be lost: the log is read again.
    const pending = next();
    await expect.poll(() => warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/SQS receive from .*not-created-yet failed/);
    await runAnalysis(api);
    expect(await pending).toMatchObject({ source: "event-log", analysisIds: [] });
  });
});
