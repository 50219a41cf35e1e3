import type { HttpExchange } from "./spec-validator.js";

export interface ExchangeRequest {
  method: string;
  /** Path with the service prefix (`/ica/rest/api/projects`); no query string. */
  path: string;
  query?: Record<string, string | readonly string[]>;
  headers?: Record<string, string>;
  /** JSON-encoded when present. */
  body?: unknown;
  contentType?: string;
}

/** One real HTTP round trip, recorded in the shape the spec validator checks. */
export interface RecordedExchange extends HttpExchange {
  responseHeaders: Headers;
}

export async function send(baseUrl: string, request: ExchangeRequest): Promise<RecordedExchange> {
  const url = new URL(request.path, baseUrl);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const one of typeof value === "string" ? [value] : value) url.searchParams.append(name, one);
  }
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["content-type"] = request.contentType ?? "application/json";
  }
  const response = await fetch(url, { method: request.method, headers, body });
  const text = await response.text();
  const responseContentType = response.headers.get("content-type") ?? undefined;
  const isJson = responseContentType !== undefined && /json/i.test(responseContentType);
  return {
    method: request.method,
    path: request.path,
    query: url.searchParams,
    requestContentType: body === undefined ? undefined : headers["content-type"],
    requestBody: request.body,
    status: response.status,
    responseContentType,
    responseBody: text === "" ? undefined : isJson ? (JSON.parse(text) as unknown) : text,
    responseHeaders: response.headers,
  };
}

/** A one-line summary for assertion messages: `GET /path → 404 {...}`. */
export function summary(exchange: HttpExchange): string {
  const body = exchange.responseBody === undefined ? "" : ` ${JSON.stringify(exchange.responseBody).slice(0, 300)}`;
  return `${exchange.method} ${exchange.path} → ${exchange.status}${body}`;
}
