export * from "./create-file.js";
export * from "./lifecycle.js";
export * from "./lifecycle-basis.js";
export * from "./linking.js";
export * from "./poll.js";
export * from "./presigned-transfer.js";
export * from "./put-file.js";
export * from "./s3-transfer.js";
