/**
 * BaseSpace dates look like .NET's round-trip format, `2024-05-29T10:11:12.1234567Z` ([NOTES-BS] §7:
 * clients strip everything after the first `.`, so fractional seconds are sent). Milliseconds are all the
 * simulator has, so the last four of the seven digits are always 0.
 */
export function toDotNetDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}0000Z`;
}
