import { readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * An API description (OpenAPI 3 YAML or Swagger 2 JSON — JSON is YAML) as plain data, plus the line each
 * JSON pointer sits on, so a contract failure can say "spec line 7087" and a person can look it up.
 */
export interface SpecDocument {
  readonly file: string;
  readonly root: Record<string, unknown>;
  /** 1-based line of the node at `pointer` (`/paths/~1api~1projects/get`), or undefined if absent. */
  lineOf(pointer: string): number | undefined;
  /**
   * Where a person finds `pointer`: `openapi_public.yaml:7087`, or `swagger-private-v2.json#/definitions/X`
   * for a file written on one line (the BaseSpace swagger), where a line number says nothing.
   */
  locate(pointer: string): string;
  /** The JSON pointer of an object inside `root` (ajv hands back schema objects, not their paths). */
  pointerOf(node: object): string | undefined;
  /** The value at `pointer`, following no `$ref`. */
  at(pointer: string): unknown;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "#") return [];
  return pointer
    .replace(/^#/, "")
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

export function loadSpecDocument(file: string): SpecDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter });
  if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML/JSON: ${doc.errors[0]?.message ?? ""}`);
  const root = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
  const oneLine = lineCounter.lineStarts.length <= 2;
  let pointers: WeakMap<object, string> | undefined;
  // The line of a mapping entry is its key's line (`  Project:`), not that of its value's first child.
  const lineOf = (pointer: string): number | undefined => {
    const segments = pointerSegments(pointer);
    const last = segments.pop();
    const parent = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    let node: unknown = parent;
    if (last !== undefined && isMap(parent)) {
      node = parent.items.find((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)) === last)?.key;
    } else if (last !== undefined && isSeq(parent)) {
      node = parent.items[Number(last)];
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  return {
    file,
    root,
    lineOf,
    locate(pointer) {
      const name = path.basename(file);
      return oneLine ? `${name}#${pointer}` : `${name}:${lineOf(pointer) ?? "?"}`;
    },
    pointerOf(node) {
      pointers ??= indexPointers(root);
      return pointers.get(node);
    },
    at(pointer) {
      let value: unknown = root;
      for (const key of pointerSegments(pointer)) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    },
  };
}

function indexPointers(root: object): WeakMap<object, string> {
  const index = new WeakMap<object, string>();
  const visit = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== "object" || index.has(node)) return;
    index.set(node, pointer);
    for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  visit(root, "");
  return index;
}
