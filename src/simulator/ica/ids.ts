import { hash } from "node:crypto";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 32 hex characters derived from the parts only. Ids built from stable inputs (project, path, a
 * per-path generation) make a fault-injected run and a fault-free run end in the same state.
 */
export function stableHex(...parts: string[]): string {
  return hash("sha1", parts.join("\u0000")).slice(0, 32);
}

/** A version-5-shaped UUID derived from the parts (batch ids, pipeline ids, region ids...). */
export function stableUuid(...parts: string[]): string {
  const h = stableHex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The spec types tenant and user ids as UUIDs; fixture ids that are not UUIDs are mapped stably. */
export function asUuid(value: string): string {
  return uuidPattern.test(value) ? value.toLowerCase() : stableUuid("fixture-id", value);
}
