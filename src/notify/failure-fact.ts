/**
 * What failed, as fields: the alert key is made of them, never of the message text, which carries
 * request ids, timestamps and counts that change every cycle for one and the same failure.
 */
export interface FailureFact {
  /** The error class (`AuthError`, `ServerError`, `ProjectResolutionError`…) or what went wrong (`give-up`). */
  kind: string;
  /** The failed call as `<service> <METHOD> <route template>`, e.g. `basespace GET /v2/datasets/{id}`, when one did. */
  route?: string;
  /** What it failed on: an analysis id, a data path, a step name. */
  object?: string;
}

/** One error of a cycle: the line people read, and what failed, when the code that reported it knew. */
export interface CycleFailure extends Partial<FailureFact> {
  message: string;
}

/** The repeat key of a structured failure: the same kind, route and object is the same alert. */
export function failureKey(pair: string, fact: FailureFact): string {
  return `error:${pair}:${fact.kind}:${fact.route ?? "-"}:${fact.object ?? "-"}`;
}
