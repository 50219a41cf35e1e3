export * from "./errors.js";
export * from "./paging.js";
export * from "./path-template.js";
export * from "./request-stats.js";
export * from "./response-schema.js";
export * from "./retry-policy.js";
export * from "./server-clock.js";
export * from "./transport.js";
