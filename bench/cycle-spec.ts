import { z } from "zod";
import { settingDefaults, settingsSchema, type Settings, type SettingsDraft } from "../src/config/index.js";
import { DESTINATION_PROJECT_NAME, SOURCE_PROJECT_NAME } from "../src/simulator/fixtures/identities.js";

/**
 * What the bench hands a cycle child (as a 0600 JSON file, since it holds the simulator's key and
 * token) and what the child hands back. Shared by both sides so they cannot drift apart.
 */
export const cycleSpecSchema = z.strictObject({
  /** A settings draft, validated by the config layer's own schema on both sides. */
  settings: z.record(z.string(), z.unknown()),
  /** Simulated minus real time: the cycle's `now` follows the simulator's clock. */
  clockOffsetMs: z.number(),
  resultPath: z.string().min(1),
});

export const cycleChildResultSchema = z.strictObject({
  /** runCycle alone: process start-up and module loading are not the cycle's. */
  wallMs: z.number().nonnegative(),
  /** The child's peak resident set since it started, read at its end (peak-rss.ts). */
  maxRssKb: z.number().nonnegative(),
  outcome: z.string(),
  errors: z.array(z.string()),
  warnings: z.number().int().nonnegative(),
});
export type CycleChildResult = z.infer<typeof cycleChildResultSchema>;

export interface SimulatorEndpoints {
  icaUrl: string;
  basespaceUrl: string;
  apiKey: string;
  basespaceToken: string;
}

/** The settings every bench cycle uses: the presets' project names and the tool's defaults otherwise (the canary off, old analyses adopted by delivering them). */
export function benchSettingsDraft(
  sim: SimulatorEndpoints,
  stateDir: string,
  overrides: Partial<SettingsDraft> = {},
): SettingsDraft {
  return {
    ...settingDefaults,
    source: { name: SOURCE_PROJECT_NAME },
    destination: { name: DESTINATION_PROJECT_NAME },
    apiKey: sim.apiKey,
    icaBaseUrl: sim.icaUrl,
    basespaceApiServer: sim.basespaceUrl,
    basespaceAccessToken: sim.basespaceToken,
    stateDir,
    // Full-rate cycles, as the lower bound counts them; the canary costs one read per kind until confirmed.
    canary: "off",
    // The first cycles start from an empty table on an account with old analyses: the adoption guard
    // refuses that unless told; delivering them is the work the first-cycle scenarios measure.
    adopt: "deliver",
    ...overrides,
  };
}

export function parseBenchSettings(draft: Record<string, unknown>): Settings {
  return settingsSchema.parse(draft);
}
