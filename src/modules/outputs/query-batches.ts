/**
 * Groups values sent as repeated query parameters (`id=…&id=…`, `filePath=…&filePath=…`) so that no
 * request line grows past `maxQueryChars`. Servers commonly refuse request lines over 8 KB (and
 * Node's own limit for all headers is 16 KB), so the default keeps well below that.
 */
const defaultMaxQueryChars = 6_000;

export function batchByQueryLength(
  values: readonly string[],
  parameter: string,
  maxQueryChars = defaultMaxQueryChars,
): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const cost = parameter.length + 2 + encodeURIComponent(value).length;
    if (current.length > 0 && length + cost > maxQueryChars) {
      batches.push(current);
      current = [];
      length = 0;
    }
    current.push(value);
    length += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
