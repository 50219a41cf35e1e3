import type { BaseSpaceClient } from "../../basespace/client.js";

export interface ScopeCheck {
  scopes: string[];
  /** Required scopes the token lacks. */
  missing: string[];
  /** The user the token acts for, from the same answer (null when BaseSpace leaves it out). */
  userId: string | null;
}

/** Compares the token's scopes with the ones needed; BaseSpace scope strings are compared case-insensitively. */
export async function checkTokenScopes(bs: BaseSpaceClient, required: readonly string[]): Promise<ScopeCheck> {
  const { scopes, userId } = await bs.getTokenDetails();
  const have = new Set(scopes.map((s) => s.trim().toUpperCase()));
  return { scopes, missing: required.filter((s) => !have.has(s.trim().toUpperCase())), userId };
}
