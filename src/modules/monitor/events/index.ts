export { bclConvertFilter, channelSpecOf, ensureSubscription, findSubscription } from "./event-subscription.js";
export type { EnsureOutcome } from "./event-subscription.js";
export { createEventSource } from "./create-event-source.js";
