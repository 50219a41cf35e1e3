export { createIcaSimulator } from "./create-ica-simulator.js";
