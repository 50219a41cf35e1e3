import { createHash, randomUUID } from "node:crypto";

/** One message as SQS hands it out (`ReceiveMessage`'s `Messages[]` item). */
export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes: { ApproximateReceiveCount: string; SentTimestamp: string };
}

interface StoredMessage {
  id: string;
  body: string;
  md5: string;
  sentAtMs: number;
  /** Real time (ms) from which a receive may hand it out again. */
  visibleAtMs: number;
  receiveCount: number;
  /** The receipt handle of the latest receive: only it deletes the message, as in SQS. */
  receipt?: string;
}

interface Waiter {
  queue: string;
  wake(): void;
}

export interface ReceiveOptions {
  maxMessages: number;
  /** Long polling: how long to wait for a first message when none is visible (real ms). */
  waitMs: number;
  /** How long received messages stay hidden (real ms); they reappear unless deleted first. */
  visibilityMs: number;
  signal?: AbortSignal;
}

/** `md5OfBody`: the SDK checks it on every send and receive, so it must be the real MD5 of the body. */
const md5 = (text: string): string => createHash("md5").update(text, "utf8").digest("hex");

/**
 * The simulator's SQS queues: standard-queue semantics in memory — at-least-once, a received message is
 * hidden for its visibility timeout and reappears unless deleted with the receipt handle of that
 * receive. Real time, not the simulated clock: a queue belongs to the lab's AWS account, not to ICA,
 * and long polling waits in real time anyway.
 */
export class SqsQueues {
  private readonly queues = new Map<string, StoredMessage[]>();
  private waiters: Waiter[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Idempotent, as `CreateQueue` with the same name. */
  create(name: string): void {
    if (!this.queues.has(name)) this.queues.set(name, []);
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  /** Queues are created on the first message too: ICA's channel names a queue the lab made beforehand. */
  send(name: string, body: string): { id: string; md5: string } {
    this.create(name);
    const message = { id: randomUUID(), body, md5: md5(body), sentAtMs: this.now(), visibleAtMs: 0, receiveCount: 0 };
    this.messagesOf(name).push(message);
    const waiting = this.waiters.filter((w) => w.queue === name);
    this.waiters = this.waiters.filter((w) => w.queue !== name);
    for (const waiter of waiting) waiter.wake();
    return { id: message.id, md5: message.md5 };
  }

  async receive(name: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const taken = this.take(name, options);
    if (taken.length > 0 || options.waitMs <= 0) return taken;
    await this.waitForMessage(name, options.waitMs, options.signal);
    return this.take(name, options);
  }

  /** False when the handle is not the message's latest receipt (or the message is gone). */
  delete(name: string, receiptHandle: string): boolean {
    const messages = this.messagesOf(name);
    const index = messages.findIndex((m) => m.receipt === receiptHandle);
    if (index < 0) return false;
    messages.splice(index, 1);
    return true;
  }

  changeVisibility(name: string, receiptHandle: string, visibilityMs: number): boolean {
    const message = this.messagesOf(name).find((m) => m.receipt === receiptHandle);
    if (!message) return false;
    message.visibleAtMs = this.now() + visibilityMs;
    return true;
  }

  /** Visible and in-flight (received, not yet deleted) message counts, as SQS's approximate attributes. */
  depth(name: string): { visible: number; inFlight: number } {
    const now = this.now();
    const messages = this.queues.get(name) ?? [];
    const visible = messages.filter((m) => m.visibleAtMs <= now).length;
    return { visible, inFlight: messages.length - visible };
  }

  /** Every message is dropped and every long poll answered (empty): `/__sim/reset` and stop. */
  clear(): void {
    this.queues.clear();
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter.wake();
  }

  private messagesOf(name: string): StoredMessage[] {
    const messages = this.queues.get(name);
    if (!messages) throw new QueueDoesNotExist(name);
    return messages;
  }

  private take(name: string, options: ReceiveOptions): ReceivedMessage[] {
    const now = this.now();
    const ready = this.messagesOf(name).filter((m) => m.visibleAtMs <= now).slice(0, options.maxMessages);
    return ready.map((m) => {
      m.receiveCount++;
      m.visibleAtMs = now + options.visibilityMs;
      m.receipt = `${m.id}#${m.receiveCount}#${randomUUID()}`;
      return {
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        MD5OfBody: m.md5,
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAtMs) },
      };
    });
  }

  private waitForMessage(queue: string, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      const waiter: Waiter = { queue, wake: done };
      const timer = setTimeout(done, waitMs);
      signal?.addEventListener("abort", done, { once: true });
      this.waiters.push(waiter);
    });
  }
}

export class QueueDoesNotExist extends Error {
  override name = "QueueDoesNotExist";
  constructor(readonly queue: string) {
    super(`the queue ${queue} does not exist; create it with CreateQueue first`);
  }
}
