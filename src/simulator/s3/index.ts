export { createS3Simulator } from "./s3-simulator.js";
