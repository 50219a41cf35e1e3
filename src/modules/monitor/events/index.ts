export { bclConvertFilter, channelSpecOf, ensureSubscription, findSubscription } from "./event-subscription.js";
export type { ChannelSpec, EnsureOutcome } from "./event-subscription.js";
