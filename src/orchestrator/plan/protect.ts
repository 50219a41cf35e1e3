import { compileLinear, type UserPattern } from "../../config/user-pattern.js";

/**
 * The protect list: entries that keep matching data out of every lifecycle action (archive included —
 * "protected" means left alone, which is the least surprising reading for a safety list).
 *
 * Each entry is a glob where `*` matches any run of characters (including `/`, so `/2024*` covers the
 * ICA-managed output folders `/<reference>/` of runs from 2024, whole subtrees) and `?` exactly one; an
 * entry without wildcards is an exact match, which is how ids are listed. Every entry is tried against every key of an item (ids, names, paths), and matching
 * ignores case: when in doubt a pattern protects more, never less. Folder paths are tried with and
 * without their trailing `/`.
 *
 * A list is made per cycle and remembers which entries matched anything it was shown, so that an entry
 * that matches nothing (a typo, a path the tool never acts on) can be reported.
 */
export interface ProtectList {
  readonly entries: readonly string[];
  /** The first entry that matches any of `keys`, or null. Empty/undefined keys are ignored. */
  match(keys: ReadonlyArray<string | null | undefined>): string | null;
  /** Entries that matched none of the keys `match` was given so far. */
  unmatched(): string[];
}

export function compileProtectList(entries: readonly string[]): ProtectList {
  const compiled = entries.map((raw) => {
    const entry = raw.trim();
    if (entry === "") throw new Error("protect list has an empty entry; remove it or give an id or a name pattern");
    return { entry, regex: globToRegExp(entry) };
  });
  const hit = new Set<string>();
  return {
    entries: compiled.map((c) => c.entry),
    match(keys) {
      const candidates = keys.flatMap((key) => (key ? withoutTrailingSlash(key) : []));
      // Every entry is tried, not just up to the first hit: each one that matches counts as used.
      const matching = compiled.filter(({ regex }) => candidates.some((candidate) => regex.test(candidate)));
      matching.forEach(({ entry }) => hit.add(entry));
      return matching[0]?.entry ?? null;
    },
    unmatched: () => compiled.map((c) => c.entry).filter((entry) => !hit.has(entry)),
  };
}

export const emptyProtectList: ProtectList = compileProtectList([]);

function withoutTrailingSlash(key: string): string[] {
  return key.length > 1 && key.endsWith("/") ? [key, key.slice(0, -1)] : [key];
}

/** Run by RE2 (linear time): `*a*a*a*b` against a long path would backtrack for minutes in a RegExp. */
function globToRegExp(glob: string): UserPattern {
  const source = Array.from(glob, (ch) => {
    if (ch === "*") return ".*";
    if (ch === "?") return ".";
    return ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }).join("");
  return compileLinear(`^${source}$`, "is");
}
