export * from "./relaunch.js";
export * from "./relaunch-analysis.js";
export * from "./resolve-project.js";
