export * from "./cycle-metrics.js";
export * from "./exposition.js";
export * from "./metrics-exporter.js";
