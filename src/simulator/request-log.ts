import type { FaultKind } from "./context.js";

export interface RequestLogEntry {
  /** 1, 2, 3... in arrival order; never reused, not even after a reset, so `since` stays valid. */
  seq: number;
  realTimeMs: number;
  simTimeMs: number;
  method: string;
  /** The matched route template, null when no route matched. */
  route: string | null;
  /** The request path (no query string: presigned URL signatures must not be kept). */
  path: string;
  /** null while the request is in flight, and for a `reset` fault (no response was sent). */
  status: number | null;
  fault: FaultKind | null;
}

export interface RequestLogPage {
  requests: RequestLogEntry[];
  /** Highest seq handed out so far: pass it as `since` next time. */
  lastSeq: number;
  /** Entries after `since` that are no longer kept (the buffer is bounded). */
  dropped: number;
}

const defaultRequestLogCapacity = 10_000;

/** The last `capacity` requests, in a ring buffer so a long benchmark cannot grow it without bound. */
export class RequestLog {
  private ring: (RequestLogEntry | undefined)[];
  private nextSeq = 1;
  /** Oldest seq still retrievable. */
  private firstSeq = 1;

  constructor(private readonly capacity = defaultRequestLogCapacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("request log capacity must be a positive integer");
    this.ring = new Array<RequestLogEntry | undefined>(capacity);
  }

  /** Records an arriving request; the caller fills in `status` and `fault` on the returned entry. */
  start(request: Pick<RequestLogEntry, "realTimeMs" | "simTimeMs" | "method" | "route" | "path">): RequestLogEntry {
    const entry: RequestLogEntry = { seq: this.nextSeq++, ...request, status: null, fault: null };
    this.ring[(entry.seq - 1) % this.capacity] = entry;
    this.firstSeq = Math.max(this.firstSeq, entry.seq - this.capacity + 1);
    return entry;
  }

  since(seq = 0): RequestLogPage {
    const from = Math.max(seq + 1, this.firstSeq);
    const requests: RequestLogEntry[] = [];
    for (let s = from; s < this.nextSeq; s++) {
      const entry = this.ring[(s - 1) % this.capacity];
      if (entry) requests.push({ ...entry });
    }
    return { requests, lastSeq: this.nextSeq - 1, dropped: Math.max(0, this.firstSeq - (seq + 1)) };
  }

  clear(): void {
    this.ring = new Array<RequestLogEntry | undefined>(this.capacity);
    this.firstSeq = this.nextSeq;
  }
}
