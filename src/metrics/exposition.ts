/**
 * The Prometheus text exposition format (version 0.0.4), the one node_exporter's textfile collector
 * and a /metrics scrape read: `# HELP`, `# TYPE`, then `name{label="value",…} value` lines.
 */

export const expositionContentType = "text/plain; version=0.0.4; charset=utf-8";

type MetricType = "gauge" | "counter" | "untyped";

export interface Sample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** @internal exported for the tests */
export class ExpositionError extends Error {
  override name = "ExpositionError";
}

const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabel = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function seriesKey(sample: Sample): string {
  return `${sample.name}{${Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(sample.labels[k] ?? "")}"`)
    .join(",")}}`;
}

/** Renders families in order; every sample must belong to its family and no series may repeat. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const series = new Set<string>();
  for (const family of families) {
    if (!metricName.test(family.name)) throw new ExpositionError(`invalid metric name "${family.name}"`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      if (sample.name !== family.name) throw new ExpositionError(`sample ${sample.name} is not in family ${family.name}`);
      const key = seriesKey(sample);
      if (series.has(key)) throw new ExpositionError(`series ${key} appears twice`);
      series.add(key);
      const labels = Object.entries(sample.labels).map(([name, value]) => {
        if (!labelName.test(name) || name.startsWith("__")) throw new ExpositionError(`invalid label name "${name}" on ${sample.name}`);
        return `${name}="${escapeLabel(value)}"`;
      });
      lines.push(`${sample.name}${labels.length > 0 ? `{${labels.join(",")}}` : ""} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Reads one label set `{a="x",b="y"}` starting at `text[0] === "{"`; returns the labels and the rest. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  const fail = (why: string): never => {
    throw new ExpositionError(`line ${line}: ${why}`);
  };
  for (;;) {
    while (text[i] === " ") i++;
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0] ?? fail("expected a label name");
    i += name.length;
    if (text[i] !== "=" || text[i + 1] !== '"') fail(`expected ="…" after label ${name}`);
    i += 2;
    let value = "";
    for (;;) {
      const c = text[i++];
      if (c === undefined) fail(`unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i++];
        if (e === "\\") value += "\\";
        else if (e === '"') value += '"';
        else if (e === "n") value += "\n";
        else fail(`invalid escape \\${e ?? ""} in label ${name}`);
      } else value += c;
    }
    if (Object.hasOwn(labels, name)) fail(`label ${name} appears twice`);
    labels[name] = value;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") fail(`expected , or } after label ${name}`);
  }
}

function parseValue(text: string, line: number): number {
  if (text === "NaN") return Number.NaN;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new ExpositionError(`line ${line}: "${text}" is not a sample value`);
  return Number(text);
}

/**
 * Parses the text format strictly: TYPE before a family's samples, a family's lines together, valid
 * names and escapes, no repeated series. Returns the families in order. Counters, gauges and untyped
 * samples only: what this tool writes, read back to keep other pairs' figures and the last success.
 */
export function parseExposition(text: string): MetricFamily[] {
  const families = new Map<string, { name: string; help: string; type: MetricType; samples: Sample[] }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: "", type: "untyped", samples: [] }));
    return f;
  };
  const closed = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const enter = (name: string, line: number): void => {
    if (current === name) return;
    if (closed.has(name)) throw new ExpositionError(`line ${line}: ${name} continues after another family started`);
    if (current !== undefined) closed.add(current);
    current = name;
  };
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
    if (meta) {
      const [, kind, name = "", rest = ""] = meta;
      if (!metricName.test(name)) throw new ExpositionError(`line ${line}: invalid metric name "${name}"`);
      const f = family(name);
      enter(name, line);
      if (kind === "TYPE") {
        if (f.samples.length > 0) throw new ExpositionError(`line ${line}: TYPE of ${name} after its samples`);
        // Histograms and summaries spread one family over several sample names; this tool writes neither.
        if (!["counter", "gauge", "untyped"].includes(rest)) throw new ExpositionError(`line ${line}: type "${rest}" is not supported (counter, gauge, untyped)`);
        f.type = rest as MetricType;
      } else f.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
      return;
    }
    if (raw.startsWith("#")) return;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw)?.[0];
    if (!name) throw new ExpositionError(`line ${line}: expected a metric name`);
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(" ") || parts.length < 1 || parts.length > 2) throw new ExpositionError(`line ${line}: expected "name{labels} value [timestamp]"`);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new ExpositionError(`line ${line}: "${parts[1]}" is not a timestamp`);
    const sample = { name, labels, value: parseValue(parts[0] ?? "", line) };
    const key = seriesKey(sample);
    if (series.has(key)) throw new ExpositionError(`line ${line}: series ${key} appears twice`);
    series.add(key);
    enter(name, line);
    family(name).samples.push(sample);
  });
  return [...families.values()];
}
