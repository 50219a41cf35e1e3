/** Configuration problems, one line each: which setting, what is wrong with it, how to fix it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A short, safe rendering of a bad value for an error message. */
export function showValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
