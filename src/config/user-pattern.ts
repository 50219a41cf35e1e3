import { RE2JS } from "re2js";

/**
 * A pattern the user supplied (`--fastq_pattern`, `--bclconvert_pattern`, a protect glob), matched
 * anywhere in a text in time linear in its length: it runs on RE2 (re2js), which never backtracks,
 * so no pattern can stall a cycle on a long name. A RegExp fits this shape too (the built-in defaults).
 */
export interface UserPattern {
  test(text: string): boolean;
  /** As written (`/bcl.*convert/i`), for reports and doctor. */
  toString(): string;
}

/** A pattern JavaScript accepts but RE2 cannot run in linear time (lookarounds, backreferences). */
export class UnsupportedPatternError extends SyntaxError {
  override name = "UnsupportedPatternError";
}

/** RE2 is Unicode-aware without `u`/`v`, and `d` only adds match indices: those flags change nothing here. */
const re2Flags: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
  v: 0,
  d: 0,
};

/**
 * `/body/flags` or a bare body, with JavaScript's syntax and flags (`^M`, `/bcl.*convert/i`).
 * `g`/`y` are refused: they make a RegExp's test() stateful. Throws a SyntaxError saying what is wrong.
 */
export function compileUserPattern(text: string): UserPattern {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  const [body, flags] = literal ? [literal[1] ?? "", literal[2] ?? ""] : [text, ""];
  if (/[gy]/.test(flags)) throw new SyntaxError(`flags g and y are not allowed`);
  // JavaScript's own check first: its messages are the ones users know.
  new RegExp(body, flags);
  return compileLinear(body, flags, literal ? text : `/${text}/`);
}

/** A JavaScript regular expression source compiled for RE2; `shown` is what toString() gives. */
export function compileLinear(source: string, flags: string, shown = `/${source}/${flags}`): UserPattern {
  try {
    return new LinearPattern(RE2JS.compile(RE2JS.translateRegExp(source), [...flags].reduce((all, flag) => all | (re2Flags[flag] ?? 0), 0)), shown);
  } catch (error) {
    throw new UnsupportedPatternError(
      `${(error as Error).message}: lookarounds ((?=, (?!, (?<=, (?<!) and backreferences (\\1) are not supported, ` +
        "because they can make matching take forever; rewrite the pattern without them",
    );
  }
}

/** Two patterns written alike compare equal (settings are compared whole): the compiled form is private. */
class LinearPattern implements UserPattern {
  readonly #re: RE2JS;

  constructor(
    re: RE2JS,
    readonly shown: string,
  ) {
    this.#re = re;
  }

  test(text: string): boolean {
    return this.#re.test(text);
  }

  toString(): string {
    return this.shown;
  }
}
