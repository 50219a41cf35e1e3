export { startSimulator } from "./server.js";
export { type Simulator, type SimulatorOptions } from "./launch.js";
export { type Fixture } from "./fixtures/format.js";
export {
  type SimTimings,
} from "./context.js";
