/** Human-readable numbers for plans and reports. */

const units = ["B", "kB", "MB", "GB", "TB", "PB"] as const;

/** Decimal (SI) units as the ICA and BaseSpace UIs show sizes: 1_234_567_890 → "1.2 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  // One decimal below 100 (1.2 GB), none above (123 GB), like `ls -h`.
  return `${value < 100 ? (Math.round(value * 10) / 10).toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * Days with one decimal, truncated (not rounded) so that an age just under a window boundary never
 * prints as the boundary itself: 59.99 d shows as "59.9 d", not "60.0 d".
 */
export function formatDays(days: number): string {
  return `${(Math.floor(days * 10) / 10).toFixed(1)} d`;
}

/** Pads every column but the last to its widest cell, two spaces apart (plans and cycle reports). */
export function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
