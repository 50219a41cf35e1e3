/** Beyond this, S3 refuses request signatures (15 minutes) long before; ages and ICA timestamps drift too. */
export const clockSkewFailMs = 5 * 60_000;
/** Worth a warning: NTP keeps clocks within a second or so. */
export const clockSkewWarnMs = 30_000;

export interface ClockSkew {
  /** Local minus server time: positive when the local clock is ahead. */
  skewMs: number;
  serverDate: string;
}

/**
 * Compares the local clock with the `Date` header of one HTTP response from `url` (any status will
 * do, so no credential is sent). The header has a resolution of one second and the request takes a
 * while, so the local time is the middle of the request and the server time the middle of its second.
 * Returns undefined when the server sends no usable Date header.
 */
export async function measureClockSkew(
  url: string,
  options: { now?: () => number; timeoutMs?: number } = {},
): Promise<ClockSkew | undefined> {
  const now = options.now ?? Date.now;
  const sentAt = now();
  const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  const receivedAt = now();
  await response.body?.cancel();
  const header = response.headers.get("date");
  const serverMs = header === null ? Number.NaN : Date.parse(header);
  if (Number.isNaN(serverMs)) return undefined;
  return { skewMs: Math.round((sentAt + receivedAt) / 2 - (serverMs + 500)), serverDate: new Date(serverMs).toISOString() };
}

export function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return seconds === 0 ? "within a second" : `${seconds} s ${skewMs > 0 ? "ahead of" : "behind"}`;
}
