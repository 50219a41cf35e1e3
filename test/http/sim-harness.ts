import { BaseSpaceClient, type BaseSpaceClientOptions } from "../../src/basespace/client.js";
import { IcaClient, type IcaClientOptions } from "../../src/ica/client.js";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";

/** Recognisable secrets: tests assert they never appear in errors. */
export const testApiKey = "ICA-APIKEY-recognisable-4f9d2c1e7b";
export const testToken = "BS-TOKEN-recognisable-8a7b6c5d4e";

/** Retries in milliseconds so fault tests stay fast. */
export const fastRetry = { baseDelayMs: 1, maxDelayMs: 4 };

export function startTestSimulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({
    fixture: "demo",
    icaApiKey: testApiKey,
    basespaceToken: testToken,
    timings: { icaLinkBatchMs: 0, icaArchiveMs: 0, icaUnarchiveMs: 0, icaDeleteMs: 0, bsRestoreMs: 0 },
    ...opts,
  });
}

export function icaClientFor(sim: Simulator, opts: Partial<IcaClientOptions> = {}): IcaClient {
  return new IcaClient({ serverUrl: sim.icaUrl, apiKey: sim.apiKey, retry: fastRetry, ...opts });
}

export function bsClientFor(sim: Simulator, opts: Partial<BaseSpaceClientOptions> = {}): BaseSpaceClient {
  return new BaseSpaceClient({ apiServer: sim.basespaceUrl, accessToken: sim.basespaceToken, retry: fastRetry, ...opts });
}

/** A sleep that records what the retry loop asked for and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
