export * from "./analysis-status.js";
export * from "./client.js";
export * from "./schemas.js";
