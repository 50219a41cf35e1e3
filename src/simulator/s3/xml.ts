const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, entity: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (entity[0] !== "#") return named[entity.toLowerCase()] ?? "";
    return String.fromCodePoint(entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });
}

/** `<Root xmlns=…><A>1</A>…</Root>` from flat fields, in order — all S3 results the simulator sends are flat. */
export function xmlDocument(root: string, fields: Record<string, string | number>, withNamespace = true): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join("");
  const ns = withNamespace ? ` xmlns="${S3_NS}"` : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${body}</${root}>`;
}

/** The raw inner XML of every `<tag>` element, in order (enough for the flat bodies the SDK sends). */
export function xmlChildren(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  return [...xml.matchAll(pattern)].map((m) => m[1] ?? "");
}

/** The unescaped text of the first `<tag>`, or undefined. */
export function xmlText(xml: string, tag: string): string | undefined {
  const inner = xmlChildren(xml, tag)[0];
  return inner === undefined ? undefined : unescapeXml(inner);
}
