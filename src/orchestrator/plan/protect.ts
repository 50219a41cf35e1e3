import { compileLinear, type UserPattern } from "../../config/user-pattern.js";

/**
 * The protect list: entries that keep matching data out of every lifecycle action (archive included —
 * "protected" means left alone, which is the least surprising reading for a safety list).
 *
 * Each entry is a glob where `*` matches any run of characters (including `/`, so `/ilmn-analyses/2024*`
 * covers whole subtrees) and `?` exactly one; an entry without wildcards is an exact match, which is how
 * ids are listed. Every entry is tried against every key of an item (ids, names, paths), and matching
 * ignores case: when in doubt a pattern protects more, never less. Folder paths are tried with and
 * without their trailing `/`.
 */
export interface ProtectList {
  readonly entries: readonly string[];
  /** The first entry that matches any of `keys`, or null. Empty/undefined keys are ignored. */
  match(keys: ReadonlyArray<string | null | undefined>): string | null;
}

export function compileProtectList(entries: readonly string[]): ProtectList {
  const compiled = entries.map((raw) => {
    const entry = raw.trim();
    if (entry === "") throw new Error("protect list has an empty entry; remove it or give an id or a name pattern");
    return { entry, regex: globToRegExp(entry) };
  });
  return {
    entries: compiled.map((c) => c.entry),
    match(keys) {
      const candidates = keys.flatMap((key) => (key ? withoutTrailingSlash(key) : []));
      for (const { entry, regex } of compiled) {
        if (candidates.some((candidate) => regex.test(candidate))) return entry;
      }
      return null;
    },
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
