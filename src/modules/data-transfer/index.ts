export * from "./create-file.js";
export * from "./lifecycle.js";
export * from "./lifecycle-basis.js";
export * from "./linking.js";
export * from "./poll.js";
export * from "./presigned-transfer.js";
export * from "./two-gate-limit.js";
export * from "./download/index.js";
