export { startSimulator } from "./server.js";
export { launchSimulator, type Simulator, type SimulatorOptions } from "./launch.js";
export type { ServiceFactories, S3Context, SimUrls } from "./world.js";
export type { ClockView, ControlTarget, ServiceCounts, SimState } from "./control-plane.js";
export { PersonHookError, type PersonHookInput, type PersonHookView } from "./person-hooks.js";
export type { StatsSnapshot } from "./stats.js";
export type { RequestLogEntry, RequestLogPage } from "./request-log.js";
export { FaultConfigError, faultConfigPatchSchema, type FaultConfigPatch } from "./faults.js";
export { FixtureError, resolveFixture } from "./fixtures/resolve.js";
export { fixtureNames, namedFixture } from "./fixtures/presets.js";
export { fixtureSchema, type Fixture, type FixtureInput } from "./fixtures/format.js";
export { stateDigest } from "./digest.js";
export { SimClock } from "./clock.js";
export {
  defaultTimings,
  faultKinds,
  type FaultConfig,
  type FaultKind,
  type FaultRule,
  type ObjectStore,
  type SimTimings,
} from "./context.js";
