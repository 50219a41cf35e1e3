import { z } from "zod";

/** `/body/flags` or a bare body; `g`/`y` are refused because they make RegExp.test() stateful. */
export function parsePattern(text: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  const [body, flags] = literal ? [literal[1] ?? "", literal[2] ?? ""] : [text, ""];
  if (/[gy]/.test(flags)) throw new SyntaxError(`flags g and y are not allowed`);
  return new RegExp(body, flags);
}

/** A setting holding a regular expression: compiled by parsePattern, its error turned into a fix. */
export const patternSchema = z.string().min(1).transform((text, ctx) => {
  try {
    return parsePattern(text);
  } catch (error) {
    const reason = (error as Error).message;
    ctx.addIssue({ code: "custom", message: `not a valid regular expression (${reason}); escape ( [ . * + ? with a backslash to match them literally` });
    return z.NEVER;
  }
});
