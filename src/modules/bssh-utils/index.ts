export * from "./bulk-archive.js";
export * from "./projects.js";
export * from "./scopes.js";
export * from "./trash.js";
export * from "./trash-guard.js";
export * from "./oldest-first.js";
