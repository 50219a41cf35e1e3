import { setTimeout as sleep } from "node:timers/promises";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message, type SQSClientConfig } from "@aws-sdk/client-sqs";
import type { DeliveryTrigger, TriggerSource } from "../delivery-triggers.js";
import { CorrelationMemory } from "./correlation-memory.js";
import { EventLogCatchUp, type CatchUpDeps } from "./event-log-catch-up.js";
import { parseIcaEvent, requestOf } from "./ica-event.js";

/** SQS's longest long poll: an idle watch makes three receive calls a minute. */
const WAIT_SECONDS = 20;
/** How long a received message stays hidden while the fast path works on it; a failure lets it reappear after this. */
const DEFAULT_VISIBILITY_SECONDS = 300;
const MAX_BACKOFF_MS = 30_000;

export interface SqsSourceOptions {
  /** `sqs_endpoint`: the simulator's queue or a VPC endpoint; unset, the SDK uses the queue URL's host. */
  endpoint?: string;
  /** The region the client signs for; unset, the one in `sqs.<region>.amazonaws.com`, else AWS_REGION. */
  region?: string;
  credentials?: SQSClientConfig["credentials"];
  visibilityTimeoutSeconds?: number;
}

/** `https://sqs.eu-central-1.amazonaws.com/123/q` → `eu-central-1`. */
function regionOf(queueUrl: string): string | undefined {
  return /^sqs[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(queueUrl).hostname)?.[1];
}

/**
 * `--events sqs://<queue-url>`: long-polls the queue ICA delivers to. A message is deleted only once
 * the trigger made of it is settled "handled"; on "retry" it is left alone, reappears after its
 * visibility timeout and, after the queue's maxReceiveCount, moves to its dead-letter queue — so a
 * redrive policy works as AWS intends. A message that is not an ICA event is never deleted either
 * (the dead-letter queue is where someone looks at it); events that ask for nothing (another status,
 * a duplicate) are deleted at once. At the start and after any receive error, the event log is read
 * before the queue is read again.
 */
export class SqsEventSource implements TriggerSource {
  readonly name = "sqs";
  private readonly client: SQSClient;
  private readonly memory = new CorrelationMemory();
  private readonly catchUp: EventLogCatchUp;
  private readonly visibility: number;

  constructor(
    private readonly queueUrl: string,
    private readonly deps: CatchUpDeps,
    options: SqsSourceOptions = {},
  ) {
    const region = options.region ?? regionOf(queueUrl) ?? process.env.AWS_REGION ?? "us-east-1";
    this.client = new SQSClient({
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
    this.catchUp = new EventLogCatchUp(deps);
    this.visibility = options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_SECONDS;
  }

  async *triggers(signal: AbortSignal): AsyncIterable<DeliveryTrigger> {
    let gap = true;
    let failures = 0;
    while (!signal.aborted) {
      if (gap) {
        // Before the queue is read again: what ICA could not deliver meanwhile is in the log.
        gap = false;
        const missed = await this.catchUp.read();
        if (missed) yield missed;
      }
      let messages: Message[];
      try {
        const received = await this.client.send(
          new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: WAIT_SECONDS, VisibilityTimeout: this.visibility }),
          { abortSignal: signal },
        );
        messages = received.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        gap = true;
        const waitMs = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (failures - 1));
        this.deps.warn(`SQS receive from ${this.queueUrl} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${waitMs / 1000} s, then reading the event log for what was missed`);
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      for (const message of messages) {
        const trigger = await this.toTrigger(message);
        if (trigger) yield trigger;
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async toTrigger(message: Message): Promise<DeliveryTrigger | undefined> {
    const handle = message.ReceiptHandle;
    if (handle === undefined) return undefined;
    const event = parseIcaEvent(message.Body ?? "");
    if (!event) {
      this.deps.warn(`SQS message ${message.MessageId ?? "?"} on ${this.queueUrl} is not an ICA event; left for the queue's dead-letter queue`);
      return undefined;
    }
    const request = requestOf(event);
    const correlationId = event.correlationId;
    if (!request || !this.memory.firstTime(correlationId)) {
      await this.delete(handle);
      return undefined;
    }
    return {
      source: "sqs",
      analysisIds: [request.analysisId],
      correlationId,
      ...(request.occurredAt ? { occurredAt: request.occurredAt } : {}),
      settle: async (outcome) => {
        if (outcome === "handled") await this.delete(handle);
        else this.memory.forget(correlationId);
      },
    };
  }

  /** A failed delete only means the message comes back and costs one more re-read. */
  private async delete(receiptHandle: string): Promise<void> {
    try {
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
    } catch (error) {
      this.deps.warn(`SQS delete on ${this.queueUrl} failed (${error instanceof Error ? error.message : String(error)}); the message will be read again`);
    }
  }
}
