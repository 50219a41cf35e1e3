import { z } from "zod";
import { compileUserPattern, UnsupportedPatternError } from "./user-pattern.js";

/** A setting holding a regular expression: compiled for a linear-time engine, its error turned into a fix. */
export const patternSchema = z.string().min(1).transform((text, ctx) => {
  try {
    return compileUserPattern(text);
  } catch (error) {
    const reason = (error as Error).message;
    ctx.addIssue({
      code: "custom",
      message:
        error instanceof UnsupportedPatternError
          ? `not a usable regular expression (${reason})`
          : `not a valid regular expression (${reason}); escape ( [ . * + ? with a backslash to match them literally`,
    });
    return z.NEVER;
  }
});
