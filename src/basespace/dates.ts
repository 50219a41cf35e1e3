const isoLike = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * BaseSpace sends .NET round-trip dates (`2024-05-29T10:11:12.1234567Z`, seven fractional digits) and
 * sometimes none; JavaScript's Date.parse accepts more than three digits only by implementation grace,
 * so the parse is explicit. A missing zone is read as UTC, which is what BaseSpace serves.
 * Returns epoch milliseconds, or undefined for anything else.
 */
export function parseBaseSpaceDate(text: string): number | undefined {
  const m = isoLike.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = m;
  const ms = Number(fraction.padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Date.UTC rolls 2024-02-31 over into March and 25:00 into the next day; a real date round-trips.
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h)) {
    return undefined;
  }
  if (zone === "Z") return local;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return local - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
