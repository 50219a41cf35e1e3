import { deref } from "./spec-operations.js";
import type { SpecDocument } from "./spec-document.js";

/**
 * Properties present in `data` that the schema does not declare. The specs rarely say
 * `additionalProperties: false`, so JSON Schema lets any extra field through — yet an undeclared field
 * in a simulator response is a field a client may start to depend on that the real API does not send
 * (or a misspelt one, e.g. `filesizeInBytes`). Composed schemas (allOf/oneOf/anyOf) and free-form maps
 * are not checked: which branch applies is ajv's business.
 */
export function undocumentedProperties(spec: SpecDocument, schemaPointer: string, data: unknown): string[] {
  const found: string[] = [];
  walk(spec, spec.at(schemaPointer), schemaPointer, data, "", found, 0);
  return found;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function walk(spec: SpecDocument, rawSchema: unknown, rawPointer: string, data: unknown, at: string, found: string[], depth: number): void {
  if (depth > 40) return;
  const { value: schema, pointer } = deref(spec, rawSchema, rawPointer);
  if (!isObj(schema) || schema.allOf || schema.oneOf || schema.anyOf) return;
  if (Array.isArray(data)) {
    if (schema.items !== undefined) data.forEach((item, i) => walk(spec, schema.items, `${pointer}/items`, item, `${at}/${i}`, found, depth + 1));
    return;
  }
  if (!isObj(data)) return;
  const properties = isObj(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  for (const [key, value] of Object.entries(data)) {
    const escaped = key.replace(/~/g, "~0").replace(/\//g, "~1");
    if (properties && key in properties) {
      walk(spec, properties[key], `${pointer}/properties/${escaped}`, value, `${at}/${key}`, found, depth + 1);
    } else if (isObj(additional)) {
      walk(spec, additional, `${pointer}/additionalProperties`, value, `${at}/${key}`, found, depth + 1);
    } else if (properties && additional === undefined) {
      found.push(`${at}/${key} is not declared by ${schemaName(pointer)} (${spec.locate(pointer)})`);
    }
  }
}

/** `#/components/schemas/Project` → `Project`; anything else → the pointer. */
export function schemaName(pointer: string): string {
  const m = /^\/(?:components\/schemas|definitions)\/([^/]+)$/.exec(pointer);
  return m?.[1] ?? pointer;
}
