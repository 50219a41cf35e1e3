/**
 * `JSON.stringify(value)` in pieces of about `pieceChars` characters, joined they are exactly that text.
 * Objects are taken apart entry by entry down to `depth` levels; anything deeper is stringified whole.
 *
 * Why: a state file of megabytes written as one string costs, at every save, a string and a buffer of
 * that size, allocated apart from the rest of the heap (V8's large-object space, malloc's mmap) — and a
 * cycle saves its journal after every change it must survive. In pieces of 64 KB the same text reuses
 * ordinary heap and buffers, and is still taken in one synchronous pass, so it is one consistent
 * snapshot of the data however long the write that follows takes.
 */
export function jsonPieces(value: unknown, depth: number, pieceChars = 64 * 1024): string[] {
  const pieces: string[] = [];
  let current = "";
  const add = (text: string) => {
    current += text;
    if (current.length >= pieceChars) {
      pieces.push(current);
      current = "";
    }
  };
  addValue(value, depth, add);
  if (current !== "" || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** What JSON.stringify leaves out of an object (and renders `null` in an array, which is stringified whole). */
const omitted = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

function addValue(value: unknown, depth: number, add: (text: string) => void): void {
  const plainObject =
    depth > 0 && value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
  if (!plainObject) {
    add(JSON.stringify(value));
    return;
  }
  add("{");
  let first = true;
  for (const [key, entry] of Object.entries(value)) {
    if (omitted(entry)) continue;
    add(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    addValue(entry, depth - 1, add);
  }
  add("}");
}
