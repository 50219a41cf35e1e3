import type { BaseSpaceClient } from "../../basespace/client.js";

export interface ScopeCheck {
  scopes: string[];
  /** Required scopes the token lacks. */
  missing: string[];
}

/** Compares the token's scopes with the ones needed; BaseSpace scope strings are compared case-insensitively. */
export async function checkTokenScopes(bs: BaseSpaceClient, required: readonly string[]): Promise<ScopeCheck> {
  const scopes = await bs.getTokenScopes();
  const have = new Set(scopes.map((s) => s.trim().toUpperCase()));
  return { scopes, missing: required.filter((s) => !have.has(s.trim().toUpperCase())) };
}
