import type { EventsTarget } from "../../../config/events-url.js";
import { eventLogPositionPath, statePaths } from "../../../state/index.js";
import type { TriggerSource } from "../delivery-triggers.js";
import type { CatchUpDeps } from "./event-log-catch-up.js";
import { HttpEventSource } from "./http-event-source.js";
import type { SqsSourceOptions } from "./sqs-event-source.js";

export interface EventSourceDeps extends Omit<CatchUpDeps, "positionFile"> {
  /** The state directory: the event log position is kept in it (`event-log-position.json`). */
  stateDir: string;
  sqs?: SqsSourceOptions;
}

/**
 * The TriggerSource `--events` names: the HTTP receiver or the SQS consumer; `watch` runs it beside
 * the poll.
 */
export async function createEventSource(target: EventsTarget, deps: EventSourceDeps): Promise<TriggerSource> {
  const catchUp = { ica: deps.ica, warn: deps.warn, positionFile: eventLogPositionPath(statePaths(deps.stateDir)), ...(deps.now ? { now: deps.now } : {}) };
  if (target.kind === "http") return new HttpEventSource(target, catchUp);
  // Loaded only for an SQS source: it brings the AWS SDK, which every other command and cycle does without.
  const { SqsEventSource } = await import("./sqs-event-source.js");
  return new SqsEventSource(target.queueUrl, catchUp, deps.sqs);
}
