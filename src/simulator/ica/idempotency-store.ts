import { hash } from "node:crypto";
import type { SimClock } from "../clock.js";
import type { SimResponse } from "../http/router.js";
import { ProblemError, badRequest } from "./problem.js";

/** "the response will be saved for 7 days" (Idempotency-Key parameter, e.g. spec L12815). */
const retentionMs = 7 * 86_400_000;
const maxKeyLength = 255;

interface Entry {
  bodyHash: string;
  expiresMs: number;
  /** Undefined while the first request is still being handled. */
  response?: SimResponse;
}

/**
 * The `Idempotency-Key` header of the create endpoints, per the spec: scoped to endpoint + user + key;
 * same body → the stored response; same key still in progress → 409; different body → 422; error
 * responses are not stored, so a failed call can be retried with the same key.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: SimClock) {}

  async run(
    scope: string,
    key: string | undefined,
    body: Buffer,
    handle: () => SimResponse | Promise<SimResponse>,
  ): Promise<SimResponse> {
    if (key === undefined) return handle();
    if (key.length > maxKeyLength) throw badRequest(`Idempotency-Key is ${key.length} characters; the limit is ${maxKeyLength}`);
    const id = `${scope}\u0000${key}`;
    const bodyHash = hash("sha256", body);
    const now = this.clock.now();
    const existing = this.entries.get(id);
    if (existing && existing.expiresMs > now) {
      if (existing.bodyHash !== bodyHash) {
        throw new ProblemError(422, "this Idempotency-Key was used with a different request body; use a new key for a new request");
      }
      if (!existing.response) throw new ProblemError(409, "a request with this Idempotency-Key is still in progress; retry later");
      return existing.response;
    }
    const entry: Entry = { bodyHash, expiresMs: now + retentionMs };
    this.entries.set(id, entry);
    try {
      const response = await handle();
      if (response.status < 400) entry.response = response;
      else this.entries.delete(id);
      return response;
    } catch (error) {
      this.entries.delete(id);
      throw error;
    }
  }
}
