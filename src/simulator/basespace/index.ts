export { createBasespaceSimulator } from "./basespace-simulator.js";
