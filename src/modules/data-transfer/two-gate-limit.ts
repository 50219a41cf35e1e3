import pLimit, { type LimitFunction } from "p-limit";

/**
 * A limit for tasks that alternate between ICA API calls and presigned object-store transfers
 * (manifest create → upload URL → upload; download URL → download). Each client has its own gate of
 * `concurrency` requests in flight, so `concurrency` tasks keep only one gate busy at a time; twice
 * as many keep both full. The gates, not this limit, still bound the requests in flight.
 */
export function twoGateLimit(concurrency: number): LimitFunction {
  return pLimit(2 * concurrency);
}
