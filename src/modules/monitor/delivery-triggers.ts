/**
 * What wakes the watch fast path: a poll of the source project, an ICA analysis event (HTTP delivery or
 * SQS), or the event log read after a gap. A trigger only says "look": the fast path re-reads every
 * analysis it names from the ICA API before anything is done, so a forged, stale or duplicated event
 * can cost a read, never a wrong delivery.
 */
export interface DeliveryTrigger {
  readonly source: "poll" | "http" | "sqs" | "event-log";
  /** Analyses the trigger names (an event names one); empty means "look for anything new". */
  readonly analysisIds: readonly string[];
  /** ICA's correlationId (or the SQS message id): events are de-duplicated on it. */
  readonly correlationId?: string;
  /** When the analysis changed status, if the trigger says so (logs and the latency bench use it). */
  readonly occurredAt?: Date;
  /**
   * Called once, after the delivery work this trigger started has ended: "handled" (delivered, or nothing
   * to do) or "retry" (failed; left for the next look). An SQS message is deleted on "handled", never before.
   */
  settle(outcome: "handled" | "retry"): Promise<void>;
}

/** A stream of triggers: the poll loop, the HTTP receiver, the SQS consumer. */
export interface TriggerSource {
  readonly name: string;
  /** Yields triggers until the signal aborts, then returns. */
  triggers(signal: AbortSignal): AsyncIterable<DeliveryTrigger>;
  /** Releases sockets, servers and timers; safe to call twice. */
  close(): Promise<void>;
}
