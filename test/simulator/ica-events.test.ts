import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/simulator/server.js";
import { SOURCE, icaApi, startIcaSim, v4 } from "./ica-harness.js";
import { instant, runAnalysis, subscribe } from "./ica-events-harness.js";

let sim: Simulator | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

interface Delivered {
  body: { correlationId: string; eventCode: string; projectId: string; payloadVersion: string; eventParameters: Record<string, string>; payload: { id: string; status: string; pipeline: { code: string } }; timestamp: string; description: string };
}

/** A webhook on 127.0.0.1 that records each POST and resolves once `count` have arrived. */
async function startReceiver(): Promise<{ url: string; received: Delivered[]; next(count: number): Promise<Delivered[]> }> {
  const received: Delivered[] = [];
  let waiting: { count: number; resolve: () => void } | undefined;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(204).end();
      if (waiting && received.length >= waiting.count) waiting.resolve();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ica-events`;
  return {
    url,
    received,
    next: (count) =>
      new Promise((resolve) => {
        const done = () => resolve(received.slice(0, count));
        if (received.length >= count) done();
        else waiting = { count, resolve: done };
      }),
  };
}

const searchLog = (api: ReturnType<typeof icaApi>, body: unknown = {}, query = "") =>
  api("POST", `/eventLog:search${query}`, { headers: v4, body });

describe("ICA analysis events", () => {
  it("posts an ICA_EXEC_028 message to an HTTP channel on each status change, with the fields ICA sends", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    const hook = await startReceiver();
    await subscribe(api, "HTTP", hook.url, "[?($.pipeline.code =~ /.*bcl.*convert.*/i)]");
    const id = await runAnalysis(api);
    const messages = (await hook.next(3)).map((m) => m.body);
    expect(messages.map((m) => [m.eventParameters.analysisPreviousStatus, m.eventParameters.analysisStatus])).toEqual([
      ["REQUESTED", "QUEUED"],
      ["QUEUED", "IN_PROGRESS"],
      ["IN_PROGRESS", "SUCCEEDED"],
    ]);
    const last = messages[2];
    expect(last).toMatchObject({ eventCode: "ICA_EXEC_028", projectId: SOURCE, payloadVersion: "v4", description: "Analysis status changed" });
    expect(last?.eventParameters.pipelineExecution).toBe(id);
    expect(last?.payload).toMatchObject({ id, status: "SUCCEEDED" });
    expect(new Set(messages.map((m) => m.correlationId)).size).toBe(3);
  });

  it("delivers to an SQS channel on the simulator's own queue, readable with @aws-sdk/client-sqs", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    const sqs = new SQSClient({ endpoint: sim.sqsUrl, region: "eu-central-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "ica-events" }));
    expect(QueueUrl).toBe(`${sim.sqsUrl}/000000000000/ica-events`);
    await subscribe(api, "SQS", QueueUrl as string);
    const id = await runAnalysis(api);
    const bodies: string[] = [];
    while (bodies.length < 3) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
      bodies.push(...Messages.map((m) => m.Body as string));
    }
    expect(bodies.map((b) => JSON.parse(b).eventParameters.pipelineExecution)).toEqual([id, id, id]);
    expect(sim.queues.depth("ica-events")).toEqual({ visible: 0, inFlight: 3 });
    sqs.destroy();
  });

  it("sends nothing a subscription's filter refuses, and refuses a filter it cannot read", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    const hook = await startReceiver();
    await subscribe(api, "HTTP", hook.url, "[?($.pipeline.code == 'DRAGEN_Germline')]");
    const other = await startReceiver();
    await subscribe(api, "HTTP", other.url);
    await runAnalysis(api);
    await other.next(3);
    expect(hook.received).toEqual([]);
    const channel = await api("POST", "/notificationChannels", { body: { type: "HTTP", address: hook.url, enabled: true } });
    const bad = await api("POST", `/projects/${SOURCE}/notificationSubscriptions`, {
      body: { eventCode: "ICA_EXEC_028", notificationChannelId: channel.body.id, enabled: true, filterExpression: "pipeline is bcl" },
    });
    expect(bad.status).toBe(400);
  });

  it("loses and duplicates deliveries as the events fault says, while eventLog:search keeps every event", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    const hook = await startReceiver();
    await subscribe(api, "HTTP", hook.url);
    sim.setFaults({ events: { duplicateRate: 1 } });
    await runAnalysis(api);
    const doubled = (await hook.next(6)).map((m) => m.body.correlationId);
    expect(new Set(doubled).size).toBe(3);
    sim.setFaults({ events: { lossRate: 1 } });
    await runAnalysis(api);
    const log = await searchLog(api, { code: "ICA_EXEC_028" });
    expect(log.status).toBe(200);
    expect(log.contentType).toBe("application/vnd.illumina.v4+json");
    expect(log.body.items).toHaveLength(6);
    expect(log.body.items[0]).toMatchObject({ code: "ICA_EXEC_028", eventTypeCategory: "INFO", tenant: { name: "sequencing-core" } });
    expect(sim.state().counts.ica.eventDeliveries).toMatchObject({ lost: 3, duplicated: 3 });
    expect(hook.received).toHaveLength(6);
  });

  it("answers eventLog:search by date and in pages", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    await runAnalysis(api);
    sim.advanceClock(60_000);
    const later = new Date(sim.clock.now()).toISOString();
    await runAnalysis(api);
    expect((await searchLog(api, { dateFrom: later })).body.items).toHaveLength(3);
    const first = await searchLog(api, {}, "?pageSize=4");
    expect(first.body.items).toHaveLength(4);
    const rest = await searchLog(api, {}, `?pageSize=4&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
    expect(rest.body.items).toHaveLength(2);
    expect((await searchLog(api, { category: "WARN" })).body.items).toEqual([]);
    expect((await searchLog(api, { dateFrom: "yesterday" })).status).toBe(400);
  });

  it("lists, reads and deletes channels and subscriptions; a channel in use cannot be deleted", async () => {
    sim = await startIcaSim(instant);
    const api = icaApi(sim);
    const channelId = await subscribe(api, "HTTP", "https://lab.example.org/ica");
    const subscriptions = await api("GET", `/projects/${SOURCE}/notificationSubscriptions`);
    expect(subscriptions.body.items).toHaveLength(1);
    const subscription = subscriptions.body.items[0];
    expect(subscription).toMatchObject({ eventCode: "ICA_EXEC_028", payloadVersion: "V4", notificationChannel: { id: channelId, type: "HTTP" } });
    expect((await api("GET", `/notificationChannels/${channelId}`)).body.address).toBe("https://lab.example.org/ica");
    expect((await api("DELETE", `/notificationChannels/${channelId}`)).status).toBe(409);
    expect((await api("DELETE", `/projects/${SOURCE}/notificationSubscriptions/${subscription.id}`)).status).toBe(204);
    expect((await api("DELETE", `/notificationChannels/${channelId}`)).status).toBe(204);
    expect((await api("GET", "/notificationChannels")).body.items).toEqual([]);
    expect((await api("POST", "/notificationChannels", { body: { type: "SQS", address: "not a url", enabled: true } })).status).toBe(400);
  });
});
