// Shared by the s3*.test.ts files: a simulator to talk S3 to (its ICA/BaseSpace parts are not used).
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/server.js";
import { basespaceTestFixture } from "./basespace-fixture.js";

export function startS3Sim(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ startMs: Date.UTC(2025, 10, 21, 12), ...options, fixture: basespaceTestFixture });
}
