import { ApiError } from "../http/errors.js";
import type { FailureFact } from "../notify/failure-fact.js";

/**
 * The fields of a failure from what was thrown: the typed HTTP errors carry their service, method and
 * route template; any other error gives its class name. `object` is what the caller was working on.
 */
export function failureFactOf(error: unknown, object?: string): FailureFact {
  const kind = error instanceof Error ? error.name : "Error";
  const route = error instanceof ApiError ? `${error.service} ${error.method} ${error.route}` : undefined;
  return { kind, ...(route !== undefined ? { route } : {}), ...(object !== undefined ? { object } : {}) };
}
