import { toPointer, type SpecDocument } from "./spec-document.js";

/**
 * The operations of an OpenAPI 3.0 or Swagger 2.0 document in one shape: for each method + path
 * template, its query parameters, request media types and response media types per status, each schema
 * given as a JSON pointer into the document (so `$ref`s inside resolve against it and errors get lines).
 */

/** A schema: where it is in the document, or (Swagger 2 non-body parameters) an inline one. */
export type SchemaRef = { pointer: string } | { inline: Record<string, unknown> };

export interface QueryParam {
  name: string;
  required: boolean;
  schema: SchemaRef | undefined;
  pointer: string;
}

/** Media type (lower case, no parameters) → its schema; an absent schema means "any body". */
export type MediaSchemas = Map<string, SchemaRef | undefined>;

export interface OperationSpec {
  method: string;
  /** As in the document, without the server/base path: `/api/projects/{projectId}`. */
  template: string;
  pointer: string;
  query: Map<string, QueryParam>;
  requestBody: { required: boolean; media: MediaSchemas; pointer: string } | undefined;
  /** Keyed `"200"`, `"2XX"` or `"default"`; an empty media map means the response has no body. */
  responses: Map<string, { media: MediaSchemas; pointer: string }>;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export function readOperations(spec: SpecDocument): OperationSpec[] {
  const swagger2 = spec.root.swagger === "2.0";
  const paths = isObj(spec.root.paths) ? spec.root.paths : {};
  const ops: OperationSpec[] = [];
  for (const [template, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const pointer = toPointer(["paths", template, method]);
      const params = mergedParameters(spec, template, method, item, op);
      ops.push({
        method: method.toUpperCase(),
        template,
        pointer,
        query: queryParams(params, swagger2),
        requestBody: swagger2 ? swaggerBody(spec, op, params) : openapiBody(spec, op, pointer),
        responses: responsesOf(spec, op, pointer, swagger2),
      });
    }
  }
  return ops;
}

/** Follows a local `$ref` chain; returns the target and its pointer. */
export function deref(spec: SpecDocument, value: unknown, pointer: string): { value: unknown; pointer: string } {
  let current = { value, pointer };
  for (let hops = 0; hops < 20 && isObj(current.value) && typeof current.value.$ref === "string"; hops++) {
    const target = current.value.$ref.replace(/^#/, "");
    current = { value: spec.at(target), pointer: target };
  }
  return current;
}

interface Param {
  value: Obj;
  pointer: string;
}

/** Path-level parameters, overridden by operation-level ones with the same name and location. */
function mergedParameters(spec: SpecDocument, template: string, method: string, item: Obj, op: Obj): Param[] {
  const collect = (list: unknown, base: (string | number)[]): Param[] =>
    (Array.isArray(list) ? list : []).map((p, i) => {
      const { value, pointer } = deref(spec, p, toPointer([...base, "parameters", i]));
      return { value: isObj(value) ? value : {}, pointer };
    });
  const byKey = new Map<string, Param>();
  for (const p of [...collect(item.parameters, ["paths", template]), ...collect(op.parameters, ["paths", template, method])]) {
    byKey.set(`${String(p.value.in)}:${String(p.value.name)}`, p);
  }
  return [...byKey.values()];
}

function queryParams(params: Param[], swagger2: boolean): Map<string, QueryParam> {
  const out = new Map<string, QueryParam>();
  for (const { value, pointer } of params) {
    if (value.in !== "query") continue;
    const name = String(value.name);
    let schema: SchemaRef | undefined;
    if (swagger2) {
      const { in: _in, name: _name, required: _required, description: _d, collectionFormat: _c, ...inline } = value;
      schema = { inline };
    } else if (isObj(value.schema)) {
      schema = { pointer: `${pointer}/schema` };
    }
    out.set(name, { name, required: value.required === true, schema, pointer });
  }
  return out;
}

function mediaMap(types: unknown, schema: (type: string) => SchemaRef | undefined): MediaSchemas {
  const out: MediaSchemas = new Map();
  for (const t of Array.isArray(types) ? types : []) out.set(String(t).toLowerCase(), schema(String(t)));
  return out;
}

function openapiBody(spec: SpecDocument, op: Obj, opPointer: string): OperationSpec["requestBody"] {
  if (op.requestBody === undefined) return undefined;
  const { value, pointer } = deref(spec, op.requestBody, `${opPointer}/requestBody`);
  if (!isObj(value)) return undefined;
  const content = isObj(value.content) ? value.content : {};
  const media = mediaMap(Object.keys(content), (t) =>
    isObj(content[t]) && (content[t] as Obj).schema !== undefined ? { pointer: toPointerFrom(pointer, ["content", t, "schema"]) } : undefined,
  );
  return { required: value.required === true, media, pointer };
}

function swaggerBody(spec: SpecDocument, op: Obj, params: Param[]): OperationSpec["requestBody"] {
  const body = params.find((p) => p.value.in === "body");
  if (!body) return undefined;
  const consumes = op.consumes ?? spec.root.consumes ?? ["application/json"];
  return { required: body.value.required === true, media: mediaMap(consumes, () => ({ pointer: `${body.pointer}/schema` })), pointer: body.pointer };
}

function responsesOf(spec: SpecDocument, op: Obj, opPointer: string, swagger2: boolean): OperationSpec["responses"] {
  const out: OperationSpec["responses"] = new Map();
  const responses = isObj(op.responses) ? op.responses : {};
  for (const status of Object.keys(responses)) {
    const { value, pointer } = deref(spec, responses[status], toPointerFrom(opPointer, ["responses", status]));
    if (!isObj(value)) continue;
    let media: MediaSchemas;
    if (swagger2) {
      const produces = op.produces ?? spec.root.produces ?? ["application/json"];
      media = value.schema === undefined ? new Map() : mediaMap(produces, () => ({ pointer: `${pointer}/schema` }));
    } else {
      const content = isObj(value.content) ? value.content : {};
      media = mediaMap(Object.keys(content), (t) =>
        isObj(content[t]) && (content[t] as Obj).schema !== undefined ? { pointer: toPointerFrom(pointer, ["content", t, "schema"]) } : undefined,
      );
    }
    out.set(status.toUpperCase() === "DEFAULT" ? "default" : status.toUpperCase(), { media, pointer });
  }
  return out;
}

function toPointerFrom(base: string, segments: (string | number)[]): string {
  return base + toPointer(segments);
}
