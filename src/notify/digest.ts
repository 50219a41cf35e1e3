/**
 * The daily digest goes out with the first cycle at or after `hour` (local time) each day. Returns the
 * most recent such moment at or before `now`.
 * @internal exported for the tests
 */
export function lastDigestTime(hour: number, now: Date): Date {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour);
  return today.getTime() <= now.getTime() ? today : new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, hour);
}

/** Due when no digest went out since the latest digest time: one per day, even with a cycle every ten minutes. */
export function isDigestDue(hour: number | null, lastSent: Date | undefined, now: Date): boolean {
  if (hour === null) return false;
  return lastSent === undefined || lastSent.getTime() < lastDigestTime(hour, now).getTime();
}
