import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { loadSpecDocument, type SpecDocument } from "./spec-document.js";
import { deref, readOperations, type MediaSchemas, type OperationSpec, type QueryParam, type SchemaRef } from "./spec-operations.js";
import { applyQuirks, basespaceQuirks, icaQuirks, type SpecQuirk } from "./spec-quirks.js";
import { schemaName, undocumentedProperties } from "./undocumented-properties.js";

/**
 * Checks one HTTP exchange (request + response) against an API description: finds the operation for the
 * method and concrete path, then checks query parameter names and values, the request body for its media
 * type, the status, and the response body for its media type — with ajv, plus a check for undeclared
 * properties. Errors are one line each and name the operation, the field and the spec line.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The official ICA OpenAPI 3.0 description (never copied into this repo). */
export const icaSpecFile = path.resolve(repoRoot, "..", "shared", "ica", "openapi_public.yaml");
/** The BaseSpace v2 Swagger 2.0 description. */
export const basespaceSpecFile = path.resolve(repoRoot, "..", "shared", "basespace", "swagger-private-v2.json");

export interface HttpExchange {
  method: string;
  /** The concrete path as sent, with the service prefix and without the query: `/ica/rest/api/projects/…`. */
  path: string;
  query?: URLSearchParams | Record<string, string | readonly string[]>;
  /** The request's Content-Type header, if a body was sent. */
  requestContentType?: string;
  /** The parsed JSON request body; undefined when none was sent. */
  requestBody?: unknown;
  status: number;
  responseContentType?: string;
  /** The parsed JSON response body; undefined (or "") when the response had none. */
  responseBody?: unknown;
}

export interface ExchangeReport {
  /** `GET /api/projects/{projectId}` as the spec names it; undefined when no operation matched. */
  operation: string | undefined;
  errors: string[];
}

export interface SpecValidatorOptions {
  /** What precedes the spec's path templates in a concrete path: `/ica/rest`, `/v2`. */
  basePath: string;
  /** BaseSpace matches query names case-insensitively (clients send `Limit`, the swagger says `limit`). */
  caseInsensitiveQuery?: boolean;
  /** Query names every operation accepts beyond the declared ones (authentication). */
  extraQueryNames?: readonly string[];
  /** Corrections applied to the spec before validating (spec-quirks.ts). */
  quirks?: readonly SpecQuirk[];
}

interface CompiledOperation {
  op: OperationSpec;
  pattern: RegExp;
  params: number;
  literal: number;
}

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ops: CompiledOperation[];

  constructor(
    readonly spec: SpecDocument,
    private readonly options: SpecValidatorOptions,
  ) {
    // verbose: errors carry the schema object, which spec.pointerOf() turns back into a spec location.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, verbose: true });
    addFormats.default(this.ajv);
    for (const [name, range] of [["int32", 2 ** 31], ["int64", 2 ** 63]] as const) {
      this.ajv.addFormat(name, { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -range && n < range });
    }
    for (const name of ["float", "double"]) this.ajv.addFormat(name, { type: "number", validate: () => true });
    for (const name of ["byte", "binary", "password"]) this.ajv.addFormat(name, true);
    applyQuirks(spec.root, options.quirks ?? []);
    draft4Exclusives(spec.root);
    this.ajv.addSchema(spec.root, "spec");
    // Literal paths win over templated ones (`/runs/accesscheck` before `/runs/{id}`), as servers route them.
    this.ops = readOperations(spec)
      .map((op) => compileTemplate(op))
      .sort((a, b) => a.params - b.params || b.literal - a.literal);
  }

  static load(file: string, options: SpecValidatorOptions): SpecValidator {
    return new SpecValidator(loadSpecDocument(file), options);
  }

  /** Every operation as `METHOD <basePath><template>`, the way the simulator lists its routes. */
  operationNames(): string[] {
    return this.ops.map(({ op }) => `${op.method} ${this.options.basePath}${op.template}`);
  }

  findOperation(method: string, concretePath: string): OperationSpec | undefined {
    const rest = this.stripBase(concretePath);
    if (rest === undefined) return undefined;
    const decoded = rest.split("/").map(safeDecode).join("/");
    return this.ops.find((c) => c.op.method === method.toUpperCase() && c.pattern.test(decoded))?.op;
  }

  /** Request (query, body) and response. */
  validate(exchange: HttpExchange): ExchangeReport {
    return this.report(exchange, (op) => [...this.checkQuery(op, exchange), ...this.checkRequest(op, exchange), ...this.checkResponse(op, exchange)]);
  }

  /** Only the request: for cases that send a deliberately invalid request and check the error response. */
  validateRequest(exchange: HttpExchange): ExchangeReport {
    return this.report(exchange, (op) => [...this.checkQuery(op, exchange), ...this.checkRequest(op, exchange)]);
  }

  validateResponse(exchange: HttpExchange): ExchangeReport {
    return this.report(exchange, (op) => this.checkResponse(op, exchange));
  }

  private report(exchange: HttpExchange, check: (op: OperationSpec) => string[]): ExchangeReport {
    const op = this.findOperation(exchange.method, exchange.path);
    if (!op) return { operation: undefined, errors: [this.noOperation(exchange)] };
    const name = `${op.method} ${op.template}`;
    return { operation: name, errors: check(op).map((e) => `${name}: ${e}`) };
  }

  /** Validates `data` against the schema at `pointer` (e.g. `/definitions/V1pre3RunCompact`); `label` prefixes errors. */
  validateAt(pointer: string, data: unknown, label: string): string[] {
    return this.checkSchema({ pointer }, data, label);
  }

  private stripBase(concretePath: string): string | undefined {
    const base = this.options.basePath;
    if (!concretePath.startsWith(base)) return undefined;
    return concretePath.slice(base.length) || "/";
  }

  private noOperation(exchange: HttpExchange): string {
    const rest = this.stripBase(exchange.path);
    if (rest === undefined) return `${exchange.method} ${exchange.path}: path does not start with ${this.options.basePath}`;
    const other = this.ops.filter((c) => c.pattern.test(rest)).map((c) => c.op.method);
    const hint = other.length > 0 ? `; the path exists for ${[...new Set(other)].join(", ")}` : "";
    return `${exchange.method} ${exchange.path}: no operation in ${path.basename(this.spec.file)}${hint}`;
  }

  private checkQuery(op: OperationSpec, exchange: HttpExchange): string[] {
    const errors: string[] = [];
    const given = queryEntries(exchange.query);
    const fold = (s: string) => (this.options.caseInsensitiveQuery ? s.toLowerCase() : s);
    const declared = new Map([...op.query.values()].map((p) => [fold(p.name), p]));
    const extra = new Set((this.options.extraQueryNames ?? []).map(fold));
    for (const [name, values] of given) {
      const param = declared.get(fold(name));
      if (!param) {
        if (!extra.has(fold(name))) {
          const known = [...op.query.keys()].join(", ") || "none";
          errors.push(`query parameter "${name}" is not declared (declared: ${known}; ${this.where(op.pointer)})`);
        }
        continue;
      }
      errors.push(...this.checkQueryValue(param, values));
    }
    for (const param of op.query.values()) {
      if (param.required && ![...given.keys()].some((n) => fold(n) === fold(param.name))) {
        errors.push(`required query parameter "${param.name}" is missing (${this.where(param.pointer)})`);
      }
    }
    return errors;
  }

  /** Query values arrive as strings: coerce them to the declared type before validating. */
  private checkQueryValue(param: QueryParam, values: string[]): string[] {
    if (!param.schema) return [];
    const schema = "inline" in param.schema ? param.schema.inline : deref(this.spec, this.spec.at(param.schema.pointer), param.schema.pointer).value;
    const type = (schema as { type?: unknown } | undefined)?.type;
    if (type !== "array" && values.length > 1) {
      return [`query parameter "${param.name}" is given ${values.length} times but is not an array (${this.where(param.pointer)})`];
    }
    const coerce = (v: string, t: unknown): unknown => {
      if ((t === "integer" || t === "number") && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
      if (t === "boolean" && (v === "true" || v === "false")) return v === "true";
      return v;
    };
    const itemType = ((schema as { items?: { type?: unknown } } | undefined)?.items ?? {}).type;
    const value = type === "array" ? values.flatMap((v) => v.split(",")).map((v) => coerce(v, itemType)) : coerce(values[0] ?? "", type);
    return this.checkSchema(param.schema, value, `query parameter "${param.name}"`);
  }

  private checkRequest(op: OperationSpec, exchange: HttpExchange): string[] {
    const hasBody = exchange.requestBody !== undefined && exchange.requestBody !== "";
    if (!op.requestBody) return hasBody ? ["the request has a body but the operation declares none"] : [];
    if (!hasBody) return op.requestBody.required ? [`the request body is required (${this.where(op.requestBody.pointer)})`] : [];
    return this.checkBody("request", op.requestBody.media, op.requestBody.pointer, exchange.requestContentType, exchange.requestBody);
  }

  private checkResponse(op: OperationSpec, exchange: HttpExchange): string[] {
    const status = String(exchange.status);
    const success = status.startsWith("2");
    const response = op.responses.get(status) ?? op.responses.get(`${status[0]}XX`) ?? (success ? undefined : op.responses.get("default"));
    if (!response) {
      const documented = [...op.responses.keys()].join(", ");
      return [`status ${status} is not documented (documented: ${documented}; ${this.where(op.pointer)})`];
    }
    const hasBody = exchange.responseBody !== undefined && exchange.responseBody !== "";
    if (response.media.size === 0) {
      return hasBody ? [`status ${status} has a body but the spec documents none (${this.where(response.pointer)})`] : [];
    }
    return this.checkBody(`response ${status}`, response.media, response.pointer, exchange.responseContentType, exchange.responseBody);
  }

  private checkBody(what: string, media: MediaSchemas, pointer: string, contentType: string | undefined, body: unknown): string[] {
    const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!media.has(type)) {
      return [`${what} media type "${type || "(none)"}" is not one of ${[...media.keys()].join(", ")} (${this.where(pointer)})`];
    }
    const schema = media.get(type);
    return schema ? this.checkSchema(schema, body, `${what} body`) : [];
  }

  private checkSchema(schema: SchemaRef, data: unknown, label: string): string[] {
    const key = "inline" in schema ? JSON.stringify(schema.inline) : schema.pointer;
    let validateFn = this.compiled.get(key);
    if (!validateFn) {
      validateFn = this.ajv.compile("inline" in schema ? schema.inline : { $ref: `spec#${encodeURI(schema.pointer)}` });
      this.compiled.set(key, validateFn);
    }
    const errors = validateFn(data) ? [] : (validateFn.errors ?? []).map((e) => `${label}${this.describe(e)}`);
    if ("pointer" in schema) {
      errors.push(...undocumentedProperties(this.spec, schema.pointer, data).map((p) => `${label} ${p}`));
    }
    return errors;
  }

  private describe(error: ErrorObject): string {
    const at = error.instancePath ? ` ${error.instancePath}` : "";
    const detail = "allowedValues" in error.params ? ` ${JSON.stringify(error.params.allowedValues)}` : "";
    const parent = isObject(error.parentSchema) ? this.spec.pointerOf(error.parentSchema) : undefined;
    const where = parent === undefined ? "" : ` (${schemaName(enclosingSchema(parent))}, ${this.where(parent)})`;
    return `${at} ${error.message ?? "is invalid"}${detail}${where}`;
  }

  private where(pointer: string): string {
    return this.spec.locate(pointer);
  }
}

/**
 * OpenAPI 3.0 keeps draft-4's boolean `exclusiveMinimum`/`exclusiveMaximum`; ajv speaks draft-7, where
 * they are numbers. Rewrite them in place (the bound moves from `minimum`/`maximum`).
 */
function draft4Exclusives(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof obj[flag] !== "boolean") continue;
    if (obj[flag] === true && typeof obj[bound] === "number") {
      obj[flag] = obj[bound];
      delete obj[bound];
    } else {
      delete obj[flag];
    }
  }
  for (const child of Object.values(obj)) draft4Exclusives(child);
}

const isObject = (v: unknown): v is object => v !== null && typeof v === "object";

/** `/components/schemas/Project/properties/id` → `/components/schemas/Project`. */
function enclosingSchema(pointer: string): string {
  const m = /^\/(?:components\/schemas|definitions)\/[^/]+/.exec(pointer);
  return m?.[0] ?? pointer;
}

function compileTemplate(op: OperationSpec): CompiledOperation {
  let params = 0;
  let literal = 0;
  const source = op.template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (/^\{[^}]+\}$/.test(part)) {
        params += 1;
        // A parameter never spans `/` or `:`, so `{dataId}:archive` and `{dataId}` are told apart.
        return "[^/:]+";
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { op, pattern: new RegExp(`^${source}/?$`), params, literal };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function queryEntries(query: HttpExchange["query"]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!query) return out;
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (query instanceof URLSearchParams) {
    for (const [k, v] of query) add(k, v);
  } else {
    for (const [k, v] of Object.entries(query)) for (const one of typeof v === "string" ? [v] : v) add(k, one);
  }
  return out;
}

const loaded = new Map<string, SpecValidator>();

function cached(file: string, options: SpecValidatorOptions): SpecValidator {
  let validator = loaded.get(file);
  if (!validator) {
    if (!existsSync(file)) throw new Error(`${file} is missing: the contract checks need it (see docs/simulator.md, section contract)`);
    validator = SpecValidator.load(file, options);
    loaded.set(file, validator);
  }
  return validator;
}

/** The ICA validator (loaded once); throws naming the file when the spec is missing. */
export function icaSpec(): SpecValidator {
  return cached(icaSpecFile, { basePath: "/ica/rest", quirks: icaQuirks });
}

/** The BaseSpace v2 validator (loaded once); throws naming the file when the swagger is missing. */
export function basespaceSpec(): SpecValidator {
  return cached(basespaceSpecFile, {
    basePath: "/v2",
    caseInsensitiveQuery: true,
    extraQueryNames: ["access_token"],
    quirks: basespaceQuirks,
  });
}

/** For tests of the API clients: check recorded ICA traffic. Returns the errors (empty = conforms). */
export function validateIcaExchange(exchange: HttpExchange): string[] {
  return icaSpec().validate(exchange).errors;
}

/** The same for BaseSpace `/v2/...` traffic (v1pre3 is not in the swagger: see basespace-v1pre3.ts). */
export function validateBasespaceExchange(exchange: HttpExchange): string[] {
  return basespaceSpec().validate(exchange).errors;
}
