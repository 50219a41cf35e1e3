import type { z } from "zod";
import { InvalidResponseError, type ServiceName } from "./errors.js";

export interface Endpoint {
  service: ServiceName;
  method: string;
  route: string;
}

/** `items[3].data.details.status`: how a developer would write the path to the offending field. */
function formatFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(response body)";
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

/** Validates a parsed body; a mismatch names the endpoint and the first offending field. */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  body: unknown,
  endpoint: Endpoint & { status: number; attempts: number },
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidResponseError({
    ...endpoint,
    fieldPath: formatFieldPath(issue?.path ?? []),
    problem: issue?.message ?? "does not match the expected schema",
  });
}
