/**
 * Fills an OpenAPI-style template (`/api/projects/{projectId}/data/{dataId}:archive`). Each value is
 * percent-encoded so an id can never change the route; a missing value is a programming error.
 */
export function expandPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === "") throw new TypeError(`missing path parameter {${name}} for ${template}`);
    return encodeURIComponent(value);
  });
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

/**
 * OpenAPI's default for array query parameters is `form`/`explode` (`id=a&id=b`); axios would send
 * `id[]=a`, which ICA does not read. Undefined values are left out.
 */
export function buildQuery(query: Readonly<Record<string, QueryValue>> = {}): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) out.append(key, v);
    else out.append(key, String(value));
  }
  return out;
}
