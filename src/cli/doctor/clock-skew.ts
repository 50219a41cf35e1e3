import { skewFromDateHeader } from "../../http/server-clock.js";

export { clockSkewFailMs, clockSkewWarnMs, describeSkew } from "../../http/server-clock.js";

export interface ClockSkew {
  /** Local minus server time: positive when the local clock is ahead. */
  skewMs: number;
  serverDate: string;
}

/**
 * Compares the local clock with the `Date` header of one HTTP response from `url` (any status will
 * do, so no credential is sent), the way every cycle does with its own responses. Returns undefined
 * when the server sends no usable Date header.
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
  const skewMs = skewFromDateHeader(header, sentAt, receivedAt);
  if (skewMs === undefined) return undefined;
  return { skewMs, serverDate: new Date(Date.parse(header as string)).toISOString() };
}
