import { createHash, type Hash } from "node:crypto";

/** Flush to the hash in pieces this big: few update() calls, and no giant string for a 1M-item state. */
const chunkChars = 64 * 1024;

class HashWriter {
  private pending = "";

  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= chunkChars) this.flush();
  }

  flush(): void {
    this.hash.update(this.pending);
    this.pending = "";
  }
}

/**
 * sha256 (hex) of `value` serialised as JSON with object keys sorted, so two states are equal exactly
 * when their digests are, whatever order the services built their maps in. The JSON is streamed into
 * the hash rather than built as one string, because the scale-1m state would not fit in one.
 */
export function stateDigest(value: unknown): string {
  const hash = createHash("sha256");
  const writer = new HashWriter(hash);
  writeStable(value, writer);
  writer.flush();
  return hash.digest("hex");
}

function writeStable(value: unknown, out: HashWriter): void {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    writeStable((value as { toJSON: () => unknown }).toJSON(), out);
    return;
  }
  if (Array.isArray(value)) {
    // Rows of primitives (the ICA data tuples, a million of them at scale-1m) serialise the same
    // with or without key sorting, so JSON.stringify writes them in one call instead of one per value.
    if (value.every(isPlainPrimitive)) {
      out.write(JSON.stringify(value));
      return;
    }
    out.write("[");
    value.forEach((item, i) => {
      if (i > 0) out.write(",");
      // JSON writes undefined (and functions) inside arrays as null.
      if (item === undefined || typeof item === "function") out.write("null");
      else writeStable(item, out);
    });
    out.write("]");
    return;
  }
  if (value !== null && typeof value === "object") {
    out.write("{");
    let first = true;
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined || typeof item === "function") continue;
      if (!first) out.write(",");
      first = false;
      out.write(JSON.stringify(key));
      out.write(":");
      writeStable(item, out);
    }
    out.write("}");
    return;
  }
  out.write(JSON.stringify(value) ?? "null");
}

/** Values JSON.stringify writes the same inside an array as writeStable does (undefined becomes null in both). */
function isPlainPrimitive(item: unknown): boolean {
  return item === null || item === undefined || typeof item === "string" || typeof item === "number" || typeof item === "boolean";
}
