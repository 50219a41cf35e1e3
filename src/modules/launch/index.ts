export * from "./find-rerun.js";
export * from "./relaunch-analysis.js";
export * from "./relaunch.js";
export * from "./resolve-project.js";
