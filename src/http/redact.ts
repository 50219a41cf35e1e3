/** Secrets shorter than this are not searched for: masking every "a" would make messages useless. */
const minSecretLength = 6;

/**
 * Masks known secrets (API key, access token, temporary credentials) in text that came from a server,
 * in case an error body echoes what it was sent. Errors are built only from such redacted strings.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= minSecretLength) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** Drops query strings from any URL-looking text: presigned URLs carry their signature there. */
export function stripQueryStrings(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#]*)\?[^\s#]*/g, "$1?[query removed]");
}
