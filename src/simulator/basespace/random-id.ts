/** A v1pre3-style numeric id (no leading zero) from the simulator's seeded random source, e.g. a trash item's id. */
export function numericId(random: () => number, length = 9): string {
  let id = String(1 + Math.floor(random() * 9));
  while (id.length < length) id += String(Math.floor(random() * 10));
  return id;
}

/**
 * UUID-shaped request ids from a counter: drawing them from the shared seeded random source would make
 * every later id depend on how many requests (retries included) came before.
 */
export function requestIdSequence(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, "0")}`;
}
