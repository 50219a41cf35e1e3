import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DeliveryTrigger, TriggerSource } from "../delivery-triggers.js";
import { CorrelationMemory } from "./correlation-memory.js";
import { EventLogCatchUp, type CatchUpDeps } from "./event-log-catch-up.js";
import { parseIcaEvent, requestOf } from "./ica-event.js";
import { TriggerChannel } from "./trigger-channel.js";

/** An ICA analysis event is a few kB; anything much larger is not one. */
const MAX_BODY_BYTES = 1_048_576;

export interface HttpReceiverTarget {
  host: string;
  /** 0 picks a free port (tests); `port()` says which. */
  port: number;
  path: string;
}

/**
 * `--events http://host:port/path`: receives ICA's HTTP deliveries (a JSON POST per event). Each is
 * validated, answered 204 at once (before any work: ICA does not wait on the tool), de-duplicated on
 * its correlationId and queued as a trigger. ICA's channel has no secret or header field (spec
 * `CreateNotificationChannel`), so nothing authenticates a delivery — harmless, since a trigger only
 * makes the fast path re-read an analysis from the API; limit who can reach the port (docs/events.md).
 * On start, and whenever triggers had to be dropped, the event log is read first.
 */
export class HttpEventSource implements TriggerSource {
  readonly name = "http";
  private readonly memory = new CorrelationMemory();
  private readonly channel = new TriggerChannel();
  private readonly catchUp: EventLogCatchUp;
  private server: Server | undefined;
  private readonly listening: Promise<number>;
  private resolvePort!: (port: number) => void;

  constructor(
    private readonly target: HttpReceiverTarget,
    deps: CatchUpDeps,
  ) {
    this.catchUp = new EventLogCatchUp(deps);
    this.listening = new Promise((resolve) => (this.resolvePort = resolve));
  }

  /** The port the receiver listens on, once it does. */
  port(): Promise<number> {
    return this.listening;
  }

  async *triggers(signal: AbortSignal): AsyncIterable<DeliveryTrigger> {
    await this.listen();
    let gap = true;
    while (!signal.aborted) {
      if (gap || this.channel.overflowed) {
        this.channel.overflowed = false;
        gap = false;
        const missed = await this.catchUp.read();
        if (missed) yield missed;
        continue;
      }
      const trigger = await this.channel.next(signal);
      if (trigger) yield trigger;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.receive(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.target.port, this.target.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.resolvePort((server.address() as AddressInfo).port);
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const answer = (status: number, text?: string) => {
      res.writeHead(status, text ? { "content-type": "text/plain; charset=utf-8" } : {}).end(text);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== this.target.path) return answer(404, `events are received at ${this.target.path}\n`);
    if (req.method !== "POST") return answer(405, "POST an ICA event here\n");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return answer(413, "an ICA event is smaller than 1 MB\n");
      const event = parseIcaEvent(Buffer.concat(chunks).toString("utf8"));
      if (!event) return answer(400, "not an ICA event: expected JSON with correlationId and eventCode\n");
      answer(204);
      const request = requestOf(event);
      if (!request || !this.memory.firstTime(event.correlationId)) return;
      const correlationId = event.correlationId;
      this.channel.push({
        source: "http",
        analysisIds: [request.analysisId],
        correlationId,
        ...(request.occurredAt ? { occurredAt: request.occurredAt } : {}),
        settle: async (outcome) => {
          if (outcome === "retry") this.memory.forget(correlationId);
        },
      });
    });
  }
}
