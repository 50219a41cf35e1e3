export * from "./analysis-state.js";
export * from "./bcl-convert.js";
export * from "./list-analyses.js";
export * from "./newly-ended.js";
export * from "./delivery-triggers.js";
export * from "./poll-source.js";
