import { createBasespaceSimulator } from "./basespace/index.js";
import { resolveFixture } from "./fixtures/resolve.js";
import { createIcaSimulator } from "./ica/index.js";
import { launchSimulator, type Simulator, type SimulatorOptions } from "./launch.js";
import { createS3Simulator } from "./s3/index.js";
import type { ServiceFactories } from "./world.js";

export type { Simulator, SimulatorOptions } from "./launch.js";

const services: ServiceFactories = {
  ica: createIcaSimulator,
  basespace: createBasespaceSimulator,
  s3: createS3Simulator,
};

/**
 * Starts the simulated ICA + BaseSpace (one server, `/ica/rest`, `/v1pre3`, `/v2`, control plane
 * `/__sim`) and S3 (a second server) on 127.0.0.1. For tests, the demo and the bench; the CLI's
 * `simulator` command wraps it. Throws FixtureError for a fixture that cannot be loaded.
 */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const fixture = await resolveFixture(options.fixture, { seed: options.seed });
  return launchSimulator(services, { ...options, fixture });
}
