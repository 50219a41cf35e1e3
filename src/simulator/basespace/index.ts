export { createBasespaceSimulator, type BasespaceSimOptions } from "./basespace-simulator.js";
