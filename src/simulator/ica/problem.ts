import { STATUS_CODES } from "node:http";
import type { SimResponse } from "../http/router.js";
import { PROBLEM_TYPE } from "./assumptions.js";

const problemMediaType = "application/problem+json";

/**
 * Thrown by ICA handlers for any client error; the route wrapper turns it into an RFC 7807 `Problem`
 * (spec `Problem`, L13165) so handlers can bail out from any depth with one line.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly parameters: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ProblemError";
  }
}

/** The Problem body with every field the spec marks required (type, title, status, parameters, timestamp). */
export function problemResponse(error: ProblemError, instance: string, nowMs: number): SimResponse {
  return {
    status: error.status,
    headers: { ...error.headers, "content-type": problemMediaType },
    body: {
      type: PROBLEM_TYPE,
      title: STATUS_CODES[error.status] ?? "Error",
      status: error.status,
      detail: error.detail,
      instance,
      parameters: error.parameters,
      timestamp: new Date(nowMs).toISOString(),
    },
  };
}

export const badRequest = (detail: string, parameters?: Record<string, string>): ProblemError =>
  new ProblemError(400, detail, parameters);
export const notFound = (detail: string): ProblemError => new ProblemError(404, detail);
export const conflict = (detail: string): ProblemError => new ProblemError(409, detail);
