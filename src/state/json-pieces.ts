/**
 * `JSON.stringify(value, null, indent)` in pieces of about `pieceChars` characters, made as they are
 * asked for; joined they are exactly that text. Objects and arrays are taken apart entry by entry down
 * to `depth` levels; anything deeper is stringified whole.
 *
 * Why: a state file or report of megabytes written as one string costs, at every save, a string and a
 * buffer of that size, allocated apart from the rest of the heap (V8's large-object space, malloc's
 * mmap) — and a cycle saves its journal after every change it must survive, and a first cycle on a large
 * account reports tens of thousands of planned items (23 MB of report at scale-1m, whose one string
 * took 85 MB of heap at the cycle's end). In pieces of 64 KB the same text reuses ordinary heap and
 * buffers. Taken all at once (`[...jsonPieces(…)]`, as the journal does) the pieces are one consistent
 * snapshot of data that changes while they are written; written as they are made (the report, which
 * does not change), only one piece is in memory at a time.
 */
export function* jsonPieces(value: unknown, depth: number, options: { pieceChars?: number; indent?: number } = {}): Generator<string, void, undefined> {
  const pieceChars = options.pieceChars ?? 64 * 1024;
  // Joined rather than added up with `+=`, which leaves each piece a tree of thousands of small strings
  // (V8 flattens it only when it is read): a piece is one flat string as soon as it is made.
  let parts: string[] = [];
  let length = 0;
  let yielded = false;
  for (const text of fragments(value, depth, { step: " ".repeat(options.indent ?? 0), at: "" })) {
    parts.push(text);
    length += text.length;
    if (length >= pieceChars) {
      yield parts.join("");
      yielded = true;
      parts = [];
      length = 0;
    }
  }
  if (length > 0 || !yielded) yield parts.join("");
}

interface Layout {
  /** One level of indentation ("" for none). */
  step: string;
  /** The current level's indentation. */
  at: string;
}

/** What JSON.stringify leaves out of an object (and renders `null` in an array). */
const omitted = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

function* fragments(value: unknown, depth: number, layout: Layout): Generator<string, void, undefined> {
  const container = depth > 0 && value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON !== "function";
  if (!container) {
    // Stringified whole, its own line breaks shifted to this level (a string's are escaped, so every one is layout).
    const text = JSON.stringify(value, null, layout.step);
    yield layout.step === "" ? text : text.replace(/\n/g, `\n${layout.at}`);
    return;
  }
  const isArray = Array.isArray(value);
  const entries: Array<[string | undefined, unknown]> = isArray
    ? Array.from(value as unknown[], (entry): [undefined, unknown] => [undefined, omitted(entry) ? null : entry])
    : Object.entries(value).filter(([, entry]) => !omitted(entry));
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    yield open + close;
    return;
  }
  const inner = { ...layout, at: layout.at + layout.step };
  const newline = layout.step === "" ? "" : "\n";
  yield open;
  for (const [index, [key, entry]] of entries.entries()) {
    yield `${index === 0 ? "" : ","}${newline}${inner.at}`;
    if (key !== undefined) yield `${JSON.stringify(key)}:${layout.step === "" ? "" : " "}`;
    yield* fragments(entry, depth - 1, inner);
  }
  yield `${newline}${layout.at}${close}`;
}
