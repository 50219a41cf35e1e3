export * from "./client.js";
export * from "./dates.js";
export * from "./schemas.js";
