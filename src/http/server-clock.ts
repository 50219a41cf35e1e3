/** Beyond this the cycle archives and deletes nothing: ages would be wrong, and S3 refuses signatures at 15 minutes. */
export const clockSkewFailMs = 5 * 60_000;
/** Worth a warning: NTP keeps clocks within a second or so. */
export const clockSkewWarnMs = 30_000;

/**
 * Local minus server time, from one response's `Date` header: positive when the local clock is
 * ahead. The header has a resolution of one second and the request takes a while, so the local time
 * is the middle of the request and the server time the middle of its second. Undefined when the
 * header is missing or unreadable.
 */
export function skewFromDateHeader(header: string | null | undefined, sentAtMs: number, receivedAtMs: number): number | undefined {
  const serverMs = typeof header === "string" ? Date.parse(header) : Number.NaN;
  if (Number.isNaN(serverMs)) return undefined;
  return Math.round((sentAtMs + receivedAtMs) / 2 - (serverMs + 500));
}

export function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return seconds === 0 ? "within a second" : `${seconds} s ${skewMs > 0 ? "ahead of" : "behind"}`;
}

/** How many recent responses the estimate looks at: enough to outvote one odd proxy or cache. */
const keptSamples = 25;

/**
 * The server's time as the `Date` headers of the responses of one cycle tell it. The skew is the
 * median of the latest responses, so one stale header (a cache, a slow hop) does not move it.
 */
export class ServerClock {
  private readonly samples: number[] = [];

  /** Records one response; a missing or unreadable `Date` is ignored. */
  observe(dateHeader: string | null | undefined, sentAtMs: number, receivedAtMs: number): void {
    const skew = skewFromDateHeader(dateHeader, sentAtMs, receivedAtMs);
    if (skew === undefined) return;
    this.samples.push(skew);
    if (this.samples.length > keptSamples) this.samples.shift();
  }

  /** Local minus server time (median of the latest responses), or undefined before any `Date` was seen. */
  skewMs(): number | undefined {
    if (this.samples.length === 0) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
  }

  /** The servers' time now, or undefined before any `Date` was seen. */
  nowMs(): number | undefined {
    const skew = this.skewMs();
    return skew === undefined ? undefined : Date.now() - skew;
  }
}
