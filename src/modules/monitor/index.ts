export * from "./analysis-state.js";
export * from "./bcl-convert.js";
export * from "./list-analyses.js";
