export * from "./alerts.js";
export * from "./channels.js";
export * from "./digest.js";
export * from "./failure-fact.js";
export * from "./notification-input.js";
export * from "./notify-cycle.js";
export * from "./render-message.js";
