export { createS3Simulator } from "./s3-simulator.js";
export { BUCKET as S3_BUCKET } from "./assumptions.js";
