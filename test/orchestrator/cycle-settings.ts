// Settings and a cycle run for tests, without the simulator (the SIGKILL child imports only this).
import { Writable } from "node:stream";
import { settingDefaults, settingsSchema, type Settings, type SettingsDraft } from "../../src/config/index.js";
import { createLogger, SecretRedactor } from "../../src/logging/index.js";
import { runCycle, type CycleReport } from "../../src/orchestrator/index.js";
import type { CycleOptions } from "../../src/orchestrator/run-cycle.js";

/** Recognisable secrets: tests assert they never reach a log, report, journal or manifest. */
export const testApiKey = "ICA-APIKEY-cycle-test-5b1e9c7d3a";
export const testToken = "BS-TOKEN-cycle-test-0d4c8e2f6a";

/** What settings need of a simulator (a child process gets these from its parent). */
export interface SimEndpoints {
  icaUrl: string;
  basespaceUrl: string;
  apiKey: string;
  basespaceToken: string;
}

export function cycleSettings(sim: SimEndpoints, stateDir: string, overrides: Partial<SettingsDraft> = {}): Settings {
  return settingsSchema.parse({
    ...settingDefaults,
    source: { name: "core-bssh-runs" },
    destination: { name: "mgi-fastq-delivery" },
    apiKey: sim.apiKey,
    icaBaseUrl: sim.icaUrl,
    basespaceApiServer: sim.basespaceUrl,
    basespaceAccessToken: sim.basespaceToken,
    stateDir,
    requestTimeoutMs: 10_000,
    linkDeadlineMs: 10_000,
    // Fixtures start from an empty table next to old analyses: a first cycle that delivers them all.
    adopt: "deliver",
    // Full rate from the first cycle: the canary has its own tests (cycle-canary.test.ts).
    canary: "off",
    ...overrides,
  });
}

/** Collects what the logger writes, to search for secrets. */
export class LogSink extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A cycle whose `now` is the simulator's clock, read through `now`. */
export async function cycleAt(
  now: () => Date,
  settings: Settings,
  sink = new LogSink(),
  signal?: AbortSignal,
  extra: Pick<CycleOptions, "metrics" | "progressStream" | "kind" | "onListed" | "manageRoundSize"> = {},
): Promise<CycleReport> {
  const redactor = new SecretRedactor([testApiKey, testToken]);
  const logger = createLogger({ redactor, level: "debug", console: { stream: sink, colors: false } });
  return runCycle(settings, { logger, redactor, now, retry: { baseDelayMs: 1, retries: 3 }, ...(signal ? { signal } : {}), ...extra });
}
