// Shared by the event tests: subscribe the test world's source project, and run an analysis whose three
// status changes (QUEUED, IN_PROGRESS, SUCCEEDED) the next request applies when the timings are zero.
import { expect } from "vitest";
import { DONE, SOURCE, type icaApi, v4 } from "./ica-harness.js";

type Api = ReturnType<typeof icaApi>;

/** Analyses created through the API go REQUESTED → QUEUED → IN_PROGRESS → SUCCEEDED on the next request. */
export const instant = { icaAnalysisQueueMs: 0, icaAnalysisRunMs: 0 };

/** Creates a channel and an ICA_EXEC_028 subscription of the source project on it; returns the channel id. */
export async function subscribe(api: Api, type: "HTTP" | "SQS", address: string, filterExpression?: string): Promise<string> {
  const channel = await api("POST", "/notificationChannels", { body: { type, address, enabled: true } });
  expect(channel.status).toBe(201);
  const subscription = await api("POST", `/projects/${SOURCE}/notificationSubscriptions`, {
    body: { eventCode: "ICA_EXEC_028", notificationChannelId: channel.body.id, enabled: true, ...(filterExpression ? { filterExpression } : {}) },
  });
  expect(subscription.status).toBe(200);
  return channel.body.id;
}

/** Reruns the fixture's BCLConvert pipeline and reads it once, which applies its status changes. */
export async function runAnalysis(api: Api): Promise<string> {
  const done = (await api("GET", `/projects/${SOURCE}/analyses/${DONE}`, { headers: { Accept: v4.Accept } })).body;
  const created = await api("POST", `/projects/${SOURCE}/analysis:cwlWithStructuredInput`, {
    headers: v4,
    body: { userReference: "events", pipelineId: done.pipeline.id, analysisInput: { inputs: [] } },
  });
  expect(created.status).toBe(201);
  await api("GET", `/projects/${SOURCE}/analyses/${created.body.id}`, { headers: { Accept: v4.Accept } });
  return created.body.id;
}
