import type { EventsTarget } from "../../../config/events-url.js";
import type { TriggerSource } from "../delivery-triggers.js";
import type { CatchUpDeps } from "./event-log-catch-up.js";
import { HttpEventSource } from "./http-event-source.js";
import { SqsEventSource, type SqsSourceOptions } from "./sqs-event-source.js";

export interface EventSourceDeps extends CatchUpDeps {
  sqs?: SqsSourceOptions;
}

/**
 * The TriggerSource `--events` names: the HTTP receiver or the SQS consumer.
 * @internal exported for the tests; `watch --events` wires it into the fast path
 */
export function createEventSource(target: EventsTarget, deps: EventSourceDeps): TriggerSource {
  return target.kind === "sqs" ? new SqsEventSource(target.queueUrl, deps, deps.sqs) : new HttpEventSource(target, deps);
}
